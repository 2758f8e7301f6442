//! Starts the app: picks the transport (Tauri IPC or HTTP), the language and the view.
import { createApp } from 'vue';
import App from './App.vue';
import { startFitting } from './composables/fit';
import { lang, pickLang } from './i18n';
import { pageConfig } from './logic/config';
import { createStore, STORE } from './store';
import { createTransport } from './transport';
import './styles/app.css';

async function main() {
  const transport = createTransport();
  const config = pageConfig(window.location.search);
  const saved = await transport.settings?.get().catch(() => null);
  lang.value = pickLang(window.location.search, saved?.language);
  document.documentElement.lang = lang.value;

  const store = createStore(transport, { view: config.view });
  const app = createApp(App, { view: config.view, crmTemplate: config.crmTemplate });
  app.provide(STORE, store);
  app.mount('#app');
  // The desktop bar's window follows its content's height (panels, menus).
  const desktop = transport.settings;
  if (desktop && config.view === 'bar') startFitting(document, (h) => desktop.fitBar(h));
  await store.start();
}

void main();
