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
import { MyOrganisationPage } from "@/features/my-organisation/MyOrganisationPage";
import { OfferDetailPage } from "@/features/offers/OfferDetailPage";
import { OfferFormPage } from "@/features/offers/OfferFormPage";
import { OffersListPage } from "@/features/offers/OffersListPage";
import { PledgeDetailPage } from "@/features/pledges/PledgeDetailPage";
import { PledgesListPage } from "@/features/pledges/PledgesListPage";
import { RequestDetailPage } from "@/features/requests/RequestDetailPage";
import { RequestFormPage } from "@/features/requests/RequestFormPage";
import { RequestsListPage } from "@/features/requests/RequestsListPage";
import { TriagePage } from "@/features/triage/TriagePage";
import { featureRoutes } from "@/lib/features";

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
const signedIn = (element: React.ReactNode) => <RequireSignedIn>{element}</RequireSignedIn>;

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
      { path: "/requests", element: signedIn(<RequestsListPage />) },
      { path: "/requests/new", element: signedIn(<RequestFormPage />) },
      { path: "/requests/:id", element: signedIn(<RequestDetailPage />) },
      { path: "/requests/:id/edit", element: signedIn(<RequestFormPage />) },
      { path: "/offers", element: signedIn(<OffersListPage />) },
      { path: "/offers/new", element: signedIn(<OfferFormPage />) },
      { path: "/offers/:id", element: signedIn(<OfferDetailPage />) },
      { path: "/offers/:id/edit", element: signedIn(<OfferFormPage />) },
      { path: "/my-organisation", element: <RequireSignedIn role="participant"><MyOrganisationPage /></RequireSignedIn> },
      { path: "/triage", element: secretariat(<TriagePage />) },
      // Pledges are public: no sign-in needed to read them.
      { path: "/pledges", element: <PledgesListPage /> },
      { path: "/pledges/:id", element: <PledgeDetailPage /> },
      { path: "/admin/users", element: secretariat(<UsersPage />) },
      { path: "/admin/organisations", element: secretariat(<OrganisationsPage />) },
      { path: "/admin/reference", element: secretariat(<ReferencePage />) },
      { path: "/admin/audit", element: secretariat(<AuditPage />) },
      { path: "/admin/mailbox", element: secretariat(<MailboxPage />) },
      // Screens of the feature modules (`src/features/*/module.tsx`).
      ...featureRoutes,
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes);
}
