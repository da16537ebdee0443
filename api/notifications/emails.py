"""E-mails: rendered in the recipient's language and written to the outbox; the worker sends them."""

from __future__ import annotations

import uuid
from string import Template

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.outbox import enqueue

# subject, body per template and language. Bodies name no counterpart or confidential detail: e-mails
# leave the platform's control, so they carry a link and let the platform decide what the reader may see.
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "invitation": {
        "en": (
            "Invitation to the ACSG platform",
            "Hello,\n\n$inviter invited you to join $organisation on the Asylum Capacity Support Group platform "
            "as $role.\n\nAccept the invitation before $expires:\n$link\n\nIf you did not expect this, ignore "
            "this message.",
        ),
        "fr": (
            "Invitation à la plateforme de l'ACSG",
            "Bonjour,\n\n$inviter vous invite à rejoindre $organisation sur la plateforme du Groupe d'appui à la "
            "capacité d'asile en tant que $role.\n\nAcceptez l'invitation avant le $expires :\n$link\n\n"
            "Si vous n'attendiez pas ce message, ignorez-le.",
        ),
        "es": (
            "Invitación a la plataforma del ACSG",
            "Hola:\n\n$inviter le invita a unirse a $organisation en la plataforma del Grupo de Apoyo a la "
            "Capacidad de Asilo como $role.\n\nAcepte la invitación antes del $expires:\n$link\n\n"
            "Si no esperaba este mensaje, ignórelo.",
        ),
    },
    "password_reset": {
        "en": (
            "Reset your ACSG password",
            "Hello,\n\nA password reset was requested for your account. Choose a new password before $expires:\n"
            "$link\n\nIf you did not ask for this, ignore this message; your password is unchanged.",
        ),
        "fr": (
            "Réinitialiser votre mot de passe ACSG",
            "Bonjour,\n\nUne réinitialisation du mot de passe a été demandée pour votre compte. Choisissez un "
            "nouveau mot de passe avant le $expires :\n$link\n\nSi vous n'êtes pas à l'origine de cette demande, "
            "ignorez ce message ; votre mot de passe reste inchangé.",
        ),
        "es": (
            "Restablecer su contraseña del ACSG",
            "Hola:\n\nSe solicitó restablecer la contraseña de su cuenta. Elija una nueva contraseña antes del "
            "$expires:\n$link\n\nSi no lo solicitó, ignore este mensaje; su contraseña no cambia.",
        ),
    },
    "notification": {
        "en": ("$title", "$body\n\nOpen it on the ACSG platform:\n$link"),
        "fr": ("$title", "$body\n\nOuvrir sur la plateforme de l'ACSG :\n$link"),
        "es": ("$title", "$body\n\nÁbralo en la plataforma del ACSG:\n$link"),
    },
}


def render(template: str, language: str, context: dict[str, str]) -> tuple[str, str]:
    versions = TEMPLATES[template]
    subject, body = versions.get(language, versions["en"])
    return Template(subject).safe_substitute(context), Template(body).safe_substitute(context)


async def queue_email(
    session: AsyncSession,
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, str],
    dedup_key: str,
    recipient_user_id: uuid.UUID | None = None,
) -> None:
    subject, body = render(template, language, context)
    await enqueue(
        session,
        kind="email",
        dedup_key=f"email:{dedup_key}",
        payload={"to": to, "subject": subject, "body": body, "template": template},
        recipient_user_id=recipient_user_id,
    )
