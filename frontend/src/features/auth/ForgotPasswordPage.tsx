import { Alert, Button, Card, Center, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { api, unwrap } from "@/lib/api";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const request = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/password-reset", { body: { email } })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <Center py="xl">
      <Card withBorder shadow="sm" padding="xl" w={460} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t("auth.resetTitle")}
            </Title>
            <Text size="sm">{t("auth.resetIntro")}</Text>
            {request.isSuccess && <Alert color="green">{t("auth.resetSent")}</Alert>}
            {request.isError && <ErrorAlert error={request.error} />}
            <TextInput label={t("auth.email")} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <Button type="submit" loading={request.isPending}>
              {t("auth.resetSend")}
            </Button>
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
