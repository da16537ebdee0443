import { Alert, Button, Card, Center, PasswordInput, Stack, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { ApiError, api, unwrap } from "@/lib/api";

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const confirm = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password } })),
    onSuccess: () => void navigate("/sign-in?reset=1", { replace: true }),
  });
  const error = confirm.error instanceof ApiError ? confirm.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  return (
    <Center py="xl">
      <Card withBorder shadow="sm" padding="xl" w={460} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t("auth.resetTitle")}
            </Title>
            {error?.code === "InvalidToken" && <Alert color="red">{t("auth.invalidLink")}</Alert>}
            <PasswordInput
              label={t("auth.newPassword")}
              description={t("auth.newPasswordHint")}
              autoComplete="new-password"
              required
              value={password}
              error={error?.fieldMap().password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={confirm.isPending}>
              {t("auth.setPassword")}
            </Button>
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
