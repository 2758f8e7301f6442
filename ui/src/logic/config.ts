//! What the page's address says: which view, which language, and (browser only) a CRM
//! URL template, e.g. `?view=popup&lang=en&crm=https%3A%2F%2Fcrm%2F%3Fphone%3D%7Bphone%7D`.
export interface PageConfig {
  view: 'bar' | 'popup';
  crmTemplate: string;
}

export function pageConfig(search: string): PageConfig {
  const q = new URLSearchParams(search);
  return {
    view: q.get('view') === 'popup' ? 'popup' : 'bar',
    crmTemplate: q.get('crm') ?? '',
  };
}
