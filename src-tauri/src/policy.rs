//! The local API's security policy as the desktop shows it: the session's live [`Policy`]
//! (kept in the shell's state), its questions forwarded to the bar ("Allow <origin> to
//! control Agent Bar?") with the bar raised and an OS notification, and "always allow" saved
//! into the settings' trusted origins.
//!
//! # Format
//!
//! Each policy event reaches the bar as the Tauri event `policy-event`, with the policy as it
//! is after it (never the token):
//!
//! ```text
//! {"event":{"type":"asked","origin":"https://crm.example.com"},
//!  "view":{"mode":"prompt","origins":[],"pending":["https://crm.example.com"],
//!          "allowed_once":[],"denied":[]}}
//! ```

use crate::popup::{self, WindowAction};
use crate::settings::{Language, Settings};
use crate::shell::Shell;
use agentbar_api::policy::{Answer, Origin, Policy, PolicyEvent, PolicyView, RateLimit};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// The Tauri event carrying a [`PolicyUpdate`].
pub const POLICY_EVENT: &str = "policy-event";

/// The session's policy and what the shell needs to change it.
#[derive(Debug, Clone)]
pub struct LivePolicy {
    pub policy: Policy,
    /// The rate limit the session started with: the settings page has none to change, so
    /// applying new settings keeps it.
    pub rate: RateLimit,
    /// Whether the settings page's local-API section governs this session. Not when
    /// `AGENTBAR_CONFIG` named a runner file: its own `[listener]` stands, and saving
    /// unrelated settings must not loosen it.
    pub follows_settings: bool,
}

/// What the bar hears after each policy event.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyUpdate {
    pub event: PolicyEvent,
    pub view: PolicyView,
}

/// The settings to save after the agent answered `answer` about `origin`: with the origin
/// trusted on "always", `None` otherwise or when it is already listed.
pub fn remember_answer(s: &Settings, origin: &Origin, answer: Answer) -> Option<Settings> {
    if answer != Answer::Always {
        return None;
    }
    let local_api = s.profile.local_api.trusting(origin)?;
    let mut next = s.clone();
    next.profile.local_api = local_api;
    Some(next)
}

/// The notification's title and body for a question, in the bar's language.
pub fn question_text(language: Language, origin: &Origin) -> (String, String) {
    match language {
        Language::ZhCn => (
            format!("允许 {origin} 控制坐席条？"),
            "请在坐席条上选择：仅本次、始终允许或拒绝".into(),
        ),
        Language::En => (
            format!("Allow {origin} to control Agent Bar?"),
            "Answer in the bar: allow once, always allow or deny".into(),
        ),
    }
}

/// Follows the policy's events until the listener stops.
pub fn follow<R: Runtime>(app: &AppHandle<R>, live: &LivePolicy) {
    let mut events = live.policy.subscribe();
    let policy = live.policy.clone();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(ev) => on_event(&app, &policy, ev),
                // The bar still gets the whole policy with the next update; send one now.
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "policy events lagged");
                    emit(&app, &policy, PolicyEvent::Changed);
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Handles one policy event: raise the bar and notify on a question, save an "always", then
/// tell the bar.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, policy: &Policy, ev: PolicyEvent) {
    let shell = app.state::<Shell>();
    match &ev {
        PolicyEvent::Asked { origin } => {
            tracing::info!(%origin, "a page asks to control the bar");
            popup::apply(app, WindowAction::ShowBar);
            if shell.desktop {
                let (title, body) = question_text(shell.settings().language, origin);
                crate::notify::show(title, body);
            }
        }
        PolicyEvent::Answered { origin, answer } => {
            tracing::info!(%origin, ?answer, "the agent answered");
            if let Err(e) = shell.update(|s| remember_answer(s, origin, *answer)) {
                tracing::warn!("cannot save {origin} as trusted: {}", e.message);
            }
        }
        PolicyEvent::Changed => {}
    }
    emit(app, policy, ev);
}

fn emit<R: Runtime>(app: &AppHandle<R>, policy: &Policy, event: PolicyEvent) {
    let update = PolicyUpdate {
        event,
        view: policy.view(),
    };
    if let Err(e) = app.emit_to(popup::BAR_LABEL, POLICY_EVENT, &update) {
        tracing::warn!("emitting {POLICY_EVENT} failed: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentbar_api::policy::{PairingToken, PolicyMode, PolicySettings};

    fn crm() -> Origin {
        Origin::from_header("https://crm.example.com").unwrap()
    }

    #[test]
    fn only_always_is_saved_and_only_once() {
        let s = Settings::default();
        assert_eq!(remember_answer(&s, &crm(), Answer::Once), None);
        assert_eq!(remember_answer(&s, &crm(), Answer::Deny), None);
        let next = remember_answer(&s, &crm(), Answer::Always).unwrap();
        assert_eq!(
            next.profile.local_api.trusted_origins,
            ["https://crm.example.com"]
        );
        // Nothing else changes.
        let mut back = next.clone();
        back.profile.local_api.trusted_origins.clear();
        assert_eq!(back, s);
        assert_eq!(remember_answer(&next, &crm(), Answer::Always), None);
    }

    #[test]
    fn asked_then_always_gives_settings_that_save_and_trust_the_origin() {
        // The live policy asks about a page, the agent answers "always": what the shell saves
        // validates, and the policy it applies trusts the page without asking again.
        let policy = Policy::new(PolicySettings::default(), PairingToken::generate().unwrap());
        let mut events = policy.subscribe();
        let facts = agentbar_api::policy::RequestFacts {
            origin: Some(crm()),
            ..Default::default()
        };
        let kind = agentbar_api::policy::RequestKind {
            operation: "dial",
            changes_state: true,
            jsonp: None,
        };
        assert!(!policy.judge(&facts, kind).is_allowed());
        assert_eq!(
            events.try_recv().unwrap(),
            PolicyEvent::Asked { origin: crm() }
        );
        assert_eq!(policy.view().pending, [crm()]);
        policy.answer(&crm(), Answer::Always);
        let PolicyEvent::Answered { origin, answer } = events.try_recv().unwrap() else {
            panic!("an answer");
        };
        let saved = remember_answer(&Settings::default(), &origin, answer).unwrap();
        saved.validate().unwrap();
        policy.apply(
            saved
                .profile
                .local_api
                .policy_settings(RateLimit::default()),
        );
        assert!(policy.view().pending.is_empty());
        assert_eq!(policy.view().origins, [crm()]);
        assert_eq!(policy.mode(), PolicyMode::Prompt);
        assert!(policy.judge(&facts, kind).is_allowed());
    }

    #[test]
    fn the_question_names_the_page_in_the_bar_s_language() {
        let (title, body) = question_text(Language::ZhCn, &crm());
        assert_eq!(title, "允许 https://crm.example.com 控制坐席条？");
        assert!(body.contains("仅本次") && body.contains("始终允许") && body.contains("拒绝"));
        let (title, _) = question_text(Language::En, &crm());
        assert_eq!(title, "Allow https://crm.example.com to control Agent Bar?");
    }

    #[test]
    fn the_update_never_carries_the_token() {
        let token = PairingToken::generate().unwrap();
        let policy = Policy::new(PolicySettings::default(), token.clone());
        let update = PolicyUpdate {
            event: PolicyEvent::Changed,
            view: policy.view(),
        };
        let json = serde_json::to_string(&update).unwrap();
        assert!(!json.contains(token.reveal()), "{json}");
        assert!(json.contains(r#""event":{"type":"changed"}"#), "{json}");
        assert!(json.contains(r#""mode":"prompt""#), "{json}");
    }
}
