// The route table: which page answers which path, and who may open it.
import { Anchor, Center, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, Link, type RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import { Layout } from "@/components/Layout";
import { AccountPage } from "@/features/account/AccountPage";
import { AuditPage } from "@/features/admin/AuditPage";
import { MailboxPage } from "@/features/admin/MailboxPage";
import { OrganisationsPage } from "@/features/admin/OrganisationsPage";
import { ReferencePage } from "@/features/admin/ReferencePage";
import { UsersPage } from "@/features/admin/UsersPage";
import { AcceptInvitationPage } from "@/features/auth/AcceptInvitationPage";
import { ForgotPasswordPage } from "@/features/auth/ForgotPasswordPage";
import { ResetPasswordPage } from "@/features/auth/ResetPasswordPage";
import { SignInPage } from "@/features/auth/SignInPage";
import { HomePage } from "@/features/home/HomePage";

function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Stack align="center">
        <Title order={1} size="h2">
          404
        </Title>
        <Text>{t("app.notFound")}</Text>
        <Anchor component={Link} to="/">
          {t("app.backHome")}
        </Anchor>
      </Stack>
    </Center>
  );
}

const secretariat = (element: React.ReactNode) => <RequireSignedIn role="secretariat">{element}</RequireSignedIn>;

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: "/", element: <HomePage /> },
      { path: "/sign-in", element: <SignInPage /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
      { path: "/reset-password", element: <ResetPasswordPage /> },
      { path: "/invitations/accept", element: <AcceptInvitationPage /> },
      { path: "/account", element: <RequireSignedIn><AccountPage /></RequireSignedIn> },
      { path: "/admin/users", element: secretariat(<UsersPage />) },
      { path: "/admin/organisations", element: secretariat(<OrganisationsPage />) },
      { path: "/admin/reference", element: secretariat(<ReferencePage />) },
      { path: "/admin/audit", element: secretariat(<AuditPage />) },
      { path: "/admin/mailbox", element: secretariat(<MailboxPage />) },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes);
}
