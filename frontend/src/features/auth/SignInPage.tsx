import { Alert, Anchor, Button, Card, Center, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "@/lib/api";
import { useSignIn } from "@/lib/session";

function messageFor(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.code === "AccountLocked") return t("auth.locked");
    if (error.status === 429) return t("auth.tooMany");
    if (error.status === 401) return t("auth.invalid");
    return error.message;
  }
  return t("app.error");
}

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  useEffect(() => {
    document.title = `${t("nav.signIn")} · ${t("app.name")}`;
  }, [t]);

  const next = params.get("next");
  const safeNext = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password }, { onSuccess: () => void navigate(safeNext, { replace: true }) });
  };

  return (
    <Center py="xl">
      <Card withBorder shadow="sm" padding="xl" w={420} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t("auth.signInTitle")}
            </Title>
            {params.get("signedOut") && <Alert color="blue">{t("auth.signedOut")}</Alert>}
            {signIn.isError && (
              <Alert color="red" role="alert">
                {messageFor(signIn.error, t)}
              </Alert>
            )}
            <TextInput
              label={t("auth.email")}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label={t("auth.password")}
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={signIn.isPending}>
              {t("auth.signIn")}
            </Button>
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t("auth.forgot")}
            </Anchor>
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
