import { Alert, Button, Card, Center, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { Loading } from "@/components/Loading";
import { ApiError, api, unwrap } from "@/lib/api";
import { ME_KEY } from "@/lib/session";

export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const token = params.get("token") ?? "";
  const [fullName, setFullName] = useState("");
  const [password, setPassword] = useState("");
  const preview = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => unwrap(api.POST("/api/v1/auth/invitations/lookup", { body: { token } })),
    retry: false,
    enabled: token.length > 0,
  });
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/auth/invitations/accept", {
          body: { token, password, full_name: fullName || preview.data?.full_name || null },
        }),
      ),
    onSuccess: (me) => {
      client.setQueryData(ME_KEY, me);
      void navigate("/", { replace: true });
    },
  });
  if (preview.isLoading) return <Loading />;
  if (!token || preview.isError) {
    return (
      <Center py="xl">
        <Alert color="red">{t("auth.invalidLink")}</Alert>
      </Center>
    );
  }
  const invitation = preview.data;
  const fields = accept.error instanceof ApiError ? accept.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };
  return (
    <Center py="xl">
      <Card withBorder shadow="sm" padding="xl" w={480} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              {t("auth.invitationTitle")}
            </Title>
            {invitation && (
              <Text>
                {t("auth.invitationFor", {
                  organisation: invitation.organisation_name,
                  role: t(`auth.roles.${invitation.role}`),
                })}
              </Text>
            )}
            {invitation?.has_account ? (
              <Alert color="blue">{t("auth.existingAccount")}</Alert>
            ) : (
              <TextInput
                label={t("auth.fullName")}
                required
                value={fullName || invitation?.full_name || ""}
                error={fields.full_name}
                onChange={(e) => setFullName(e.currentTarget.value)}
              />
            )}
            <TextInput label={t("auth.email")} value={invitation?.email ?? ""} readOnly />
            <PasswordInput
              label={invitation?.has_account ? t("auth.password") : t("auth.newPassword")}
              description={invitation?.has_account ? undefined : t("auth.newPasswordHint")}
              autoComplete={invitation?.has_account ? "current-password" : "new-password"}
              required
              value={password}
              error={fields.password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {accept.isError && !Object.keys(fields).length && (
              <Alert color="red">{(accept.error as Error).message}</Alert>
            )}
            <Button type="submit" loading={accept.isPending}>
              {t("auth.accept")}
            </Button>
          </Stack>
        </form>
      </Card>
    </Center>
  );
}
