// The knowledge base: public search and the portal's lists (projects, good practices, tools and guidance,
// news and events), item pages, and the editors' screens (drafting, translations, the Secretariat's review).
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import type { NavItem } from "@/lib/features";
import { DraftsPage, ReviewQueuePage } from "./ItemLists";
import { KnowledgeFormPage } from "./KnowledgeFormPage";
import { KnowledgeItemPage } from "./KnowledgeItemPage";
import { KnowledgeSearchPage } from "./KnowledgeSearchPage";
import { VIEWS } from "./search";
import { TranslationPage } from "./TranslationPage";

// Each view is its own page (the key resets the search box when moving from one to another).
const viewRoutes: RouteObject[] = VIEWS.map((view) => ({ path: view.path, element: <KnowledgeSearchPage key={view.path} view={view} /> }));

export const routes: RouteObject[] = [
  ...viewRoutes,
  { path: "/knowledge/new", element: <RequireSignedIn><KnowledgeFormPage /></RequireSignedIn> },
  { path: "/knowledge/drafts", element: <RequireSignedIn><DraftsPage /></RequireSignedIn> },
  { path: "/knowledge/review", element: <RequireSignedIn role="secretariat"><ReviewQueuePage /></RequireSignedIn> },
  // Items are public once published; drafts answer only to their authors and the Secretariat.
  { path: "/knowledge/:id", element: <KnowledgeItemPage /> },
  { path: "/knowledge/:id/edit", element: <RequireSignedIn><KnowledgeFormPage /></RequireSignedIn> },
  { path: "/knowledge/:id/translate", element: <RequireSignedIn><TranslationPage /></RequireSignedIn> },
];

export const navItems: NavItem[] = [
  { to: "/knowledge", labelKey: "knowledge.nav.search", role: "public", order: 46 },
  { to: "/projects", labelKey: "knowledge.nav.projects", role: "public", order: 47 },
  { to: "/good-practices", labelKey: "knowledge.nav.goodPractices", role: "public", order: 48 },
  { to: "/tools", labelKey: "knowledge.nav.tools", role: "public", order: 49 },
  { to: "/news", labelKey: "knowledge.nav.news", role: "public", order: 50 },
  { to: "/knowledge/drafts", labelKey: "knowledge.nav.drafts", role: "signedIn", order: 85 },
  { to: "/knowledge/review", labelKey: "knowledge.nav.review", role: "secretariat", order: 94 },
];
