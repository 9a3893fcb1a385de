import type { ComponentType } from 'preact';
import { lazy } from 'preact/compat';

/**
 * The workspace's left navigation, in order. Each section is its own lazily
 * loaded module, so a section's code loads only when it is opened. `id` is the
 * URL hash (#/relationships) and stays stable: links and tests use it.
 */
export interface WorkspaceSection {
  id: string;
  /** i18n key of the navigation label. */
  labelKey: string;
  icon: string;
  component: ComponentType;
}

export const SECTIONS: WorkspaceSection[] = [
  // Filled in by the features: relationships, files, jobs (workspace), growth, webhook (growth tools).
  {
    id: 'relationships',
    labelKey: 'workspace.nav.relationships',
    icon: '⇆',
    component: lazy(() => import('./RelationshipsSection')),
  },
  { id: 'files', labelKey: 'workspace.nav.files', icon: '▤', component: lazy(() => import('./FilesSection')) },
  {
    id: 'audiences',
    labelKey: 'audiences.nav',
    icon: '☰',
    component: lazy(() => import('../audiences/AudiencesSection')),
  },
  { id: 'jobs', labelKey: 'workspace.nav.jobs', icon: '◷', component: lazy(() => import('./JobsSection')) },
  { id: 'growth', labelKey: 'growth.title', icon: '↗', component: lazy(() => import('../growth/GrowthSection')) },
  {
    id: 'webhook',
    labelKey: 'growth.webhookTitle',
    icon: '⇢',
    component: lazy(() => import('../growth/WebhookSection')),
  },
  { id: 'api-log', labelKey: 'apiLog.nav', icon: '≣', component: lazy(() => import('./ApiLogSection')) },
  { id: 'diagnose', labelKey: 'diagnose.nav', icon: '✓', component: lazy(() => import('../diagnose/DiagnoseSection')) },
];
