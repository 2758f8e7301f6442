//! `decide`: allow, refuse, or refuse-and-ask for one request, from the facts the listener
//! read off it. Pure; the caller records the answer in the audit log and, for
//! [`Decision::Ask`], shows the agent "Allow `<origin>` to control Agent Bar?".
//!
//! | mode | trusted origin | untrusted origin | no origin | bad token | `null` / unreadable origin |
//! |---|---|---|---|---|---|
//! | `prompt` | allow | allow with the token, else ask (denied: refuse) | token required (wrong: refuse) | refuse | refuse |
//! | `strict` | allow with the token | refuse | token required | refuse | refuse |
//! | `open` | allow | allow | allow | allow | allow |
//!
//! The origin is the `Origin` header's, or, lacking one, the `Referer`'s. "Trusted" is the
//! settings' list plus the origins the agent allowed for this session; `strict` looks at the
//! list only, since it never asks. The bar's own pages (the web UI the listener serves) are
//! trusted in every mode. Read-only requests follow the same rules: state and events carry
//! callers' numbers, and a CRM page usually opens the event stream first, so that is where the
//! agent is asked. A request with no origin but the right token comes from a paired program,
//! not a web page, and is allowed in `strict` too.

use super::mode::PolicyMode;
use super::origin::{Origin, OriginError};
use super::token::PairingToken;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// What the listener knows about one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFacts<'a> {
    /// The `Origin` header, when present and readable.
    pub origin: Option<Origin>,
    /// The origin of the `Referer` header, when present and readable.
    pub referer_origin: Option<Origin>,
    /// An `Origin` header (or, lacking one, a `Referer`) was sent but is `null` or not a web
    /// origin. Such a page cannot be named, so it is never trusted.
    pub unreadable_origin: Option<OriginError>,
    /// The pairing token presented (`apiKey` or `Authorization: Bearer`).
    pub token: Option<&'a str>,
}

impl<'a> RequestFacts<'a> {
    /// Facts from the raw `Origin` and `Referer` header values. A readable `Origin` makes the
    /// `Referer` irrelevant; an unreadable one is not overridden by a readable `Referer`,
    /// since a sandboxed frame's `Referer` names the page that sandboxed it.
    pub fn from_headers(
        origin: Option<&str>,
        referer: Option<&str>,
        token: Option<&'a str>,
    ) -> RequestFacts<'a> {
        let mut facts = RequestFacts {
            token,
            ..RequestFacts::default()
        };
        match origin.map(Origin::from_header) {
            Some(Ok(o)) => facts.origin = Some(o),
            Some(Err(e)) => facts.unreadable_origin = Some(e),
            None => match referer.map(Origin::from_referer) {
                Some(Ok(o)) => facts.referer_origin = Some(o),
                Some(Err(e)) => facts.unreadable_origin = Some(e),
                None => {}
            },
        }
        facts
    }

    /// The origin the request is judged by: `Origin`, else the `Referer`'s.
    pub fn effective_origin(&self) -> Option<&Origin> {
        self.origin.as_ref().or(self.referer_origin.as_ref())
    }
}

/// The origins the agent trusts, from settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Trust {
    /// Allowed always ("Allow always", or listed in settings).
    pub origins: BTreeSet<Origin>,
    /// Allowed until the bar restarts ("Allow once": this session, not saved).
    #[serde(skip)]
    pub once: BTreeSet<Origin>,
    /// Refused without asking again until the bar restarts ("Deny").
    #[serde(skip)]
    pub denied: BTreeSet<Origin>,
    /// The bar's own pages (`http://127.0.0.1:<port>` and its loopback aliases): the listener
    /// serves only its own files there, so they are trusted in every mode.
    #[serde(skip)]
    pub bar: BTreeSet<Origin>,
}

impl Trust {
    pub fn listed(&self, origin: &Origin) -> bool {
        self.origins.contains(origin)
    }

    /// The bar's own page, listed, or allowed for this session.
    pub fn trusts(&self, origin: &Origin) -> bool {
        self.bar.contains(origin) || self.listed(origin) || self.once.contains(origin)
    }

    /// The bar's own origins for a listener on `port`.
    pub fn bar_origins(port: u16) -> BTreeSet<Origin> {
        ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .filter_map(|h| Origin::from_header(&format!("http://{h}:{port}")).ok())
            .collect()
    }
}

/// Why a request was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowReason {
    /// `open` mode allows everything.
    OpenMode,
    /// The origin is in the trusted list.
    TrustedOrigin,
    /// The agent allowed this origin for this session.
    Once,
    /// The bar's own page.
    Bar,
    /// The right pairing token, without an origin or from an origin not listed (`prompt`).
    Token,
    /// `strict`: a listed origin and the right token.
    TrustedOriginAndToken,
}

impl AllowReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AllowReason::OpenMode => "open mode",
            AllowReason::TrustedOrigin => "trusted origin",
            AllowReason::Once => "allowed by the agent for this session",
            AllowReason::Bar => "the bar's own page",
            AllowReason::Token => "pairing token",
            AllowReason::TrustedOriginAndToken => "trusted origin and pairing token",
        }
    }
}

impl fmt::Display for AllowReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable machine-readable code for a refusal, used as the API error's `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RefuseCode {
    /// No origin and no token, or `strict` without the token.
    TokenRequired,
    /// A token was given and it is not the pairing token.
    BadToken,
    /// The origin is not trusted (and, for a read-only request or in `strict`, nobody asks).
    UntrustedOrigin,
    /// `Origin: null` or an origin that is not `http(s)://host[:port]`.
    OriginRefused,
    /// The agent answered "Deny" for this origin.
    OriginDenied,
}

impl RefuseCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RefuseCode::TokenRequired => "token_required",
            RefuseCode::BadToken => "bad_token",
            RefuseCode::UntrustedOrigin => "untrusted_origin",
            RefuseCode::OriginRefused => "origin_refused",
            RefuseCode::OriginDenied => "origin_denied",
        }
    }
}

/// The answer for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow {
        why: AllowReason,
    },
    /// Refused; `why` is for humans and never contains the token.
    Refuse {
        code: RefuseCode,
        why: String,
    },
    /// `prompt` mode, untrusted origin: refused now (nothing reaches the CTI server), and the
    /// bar asks the agent about `origin`.
    Ask {
        origin: Origin,
    },
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }

    fn refuse(code: RefuseCode, why: impl Into<String>) -> Decision {
        Decision::Refuse {
            code,
            why: why.into(),
        }
    }
}

/// Decides one request. See the module's table.
pub fn decide(
    mode: PolicyMode,
    facts: &RequestFacts<'_>,
    trust: &Trust,
    token: &PairingToken,
) -> Decision {
    if mode == PolicyMode::Open {
        return Decision::Allow {
            why: AllowReason::OpenMode,
        };
    }
    if facts
        .effective_origin()
        .is_some_and(|o| trust.bar.contains(o))
    {
        return Decision::Allow {
            why: AllowReason::Bar,
        };
    }
    // None: no token presented; Some(false): a wrong one.
    let token_ok = facts.token.map(|t| token.matches(t));
    // Never echo what was presented: it may be a near miss of the real token.
    let bad_token = || {
        Decision::refuse(
            RefuseCode::BadToken,
            "the pairing token does not match the one in Agent Bar's settings",
        )
    };
    let Some(origin) = facts.effective_origin() else {
        if let Some(e) = facts.unreadable_origin {
            return Decision::refuse(
                RefuseCode::OriginRefused,
                format!("{e}; a page must have a web origin to control Agent Bar"),
            );
        }
        return match token_ok {
            Some(true) => Decision::Allow {
                why: AllowReason::Token,
            },
            Some(false) => bad_token(),
            None => Decision::refuse(
                RefuseCode::TokenRequired,
                "a request with neither Origin nor Referer needs the pairing token \
                 (apiKey or Authorization: Bearer) from Agent Bar's settings",
            ),
        };
    };
    match mode {
        PolicyMode::Strict => match token_ok {
            _ if !trust.listed(origin) => Decision::refuse(
                RefuseCode::UntrustedOrigin,
                format!("{origin} is not in Agent Bar's trusted origins (strict mode)"),
            ),
            Some(true) => Decision::Allow {
                why: AllowReason::TrustedOriginAndToken,
            },
            Some(false) => bad_token(),
            None => Decision::refuse(
                RefuseCode::TokenRequired,
                "strict mode needs the pairing token (apiKey or Authorization: Bearer)",
            ),
        },
        // A page known by its origin needs no token, and a wrong one does not matter: 800hu CRM
        // pages send an `apiKey` of their own, which is not Agent Bar's token. Such a page is
        // asked about like any other.
        PolicyMode::Prompt | PolicyMode::Open => {
            if trust.listed(origin) {
                Decision::Allow {
                    why: AllowReason::TrustedOrigin,
                }
            } else if trust.once.contains(origin) {
                Decision::Allow {
                    why: AllowReason::Once,
                }
            } else if token_ok == Some(true) {
                Decision::Allow {
                    why: AllowReason::Token,
                }
            } else if trust.denied.contains(origin) {
                Decision::refuse(
                    RefuseCode::OriginDenied,
                    format!("the agent denied {origin} control of Agent Bar"),
                )
            } else {
                Decision::Ask {
                    origin: origin.clone(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUSTED: &str = "https://crm.example.com";
    const ONCE: &str = "https://once.example.com";
    const STRANGER: &str = "https://evil.example";

    fn o(s: &str) -> Origin {
        Origin::from_header(s).unwrap()
    }

    fn setup() -> (Trust, PairingToken) {
        let trust = Trust {
            origins: [o(TRUSTED)].into(),
            once: [o(ONCE)].into(),
            ..Trust::default()
        };
        (trust, PairingToken::generate().unwrap())
    }

    /// The kinds of request every mode is checked against.
    #[derive(Debug, Clone, Copy)]
    enum Kind {
        Trusted,
        TrustedWithToken,
        Once,
        Untrusted,
        UntrustedWithToken,
        RefererOnlyTrusted,
        RefererOnlyUntrusted,
        Neither,
        NeitherWithToken,
        BadToken,
        TrustedBadToken,
        NullOrigin,
        NullOriginWithToken,
    }

    const KINDS: [Kind; 13] = [
        Kind::Trusted,
        Kind::TrustedWithToken,
        Kind::Once,
        Kind::Untrusted,
        Kind::UntrustedWithToken,
        Kind::RefererOnlyTrusted,
        Kind::RefererOnlyUntrusted,
        Kind::Neither,
        Kind::NeitherWithToken,
        Kind::BadToken,
        Kind::TrustedBadToken,
        Kind::NullOrigin,
        Kind::NullOriginWithToken,
    ];

    const BAD: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    fn facts<'a>(kind: Kind, good: &'a str) -> RequestFacts<'a> {
        let (origin, referer, token) = match kind {
            Kind::Trusted => (Some(TRUSTED), None, None),
            Kind::TrustedWithToken => (Some(TRUSTED), None, Some(good)),
            Kind::Once => (Some(ONCE), None, None),
            Kind::Untrusted => (Some(STRANGER), Some("https://crm.example.com/x"), None),
            Kind::UntrustedWithToken => (Some(STRANGER), None, Some(good)),
            Kind::RefererOnlyTrusted => (None, Some("https://crm.example.com/page?x=1"), None),
            Kind::RefererOnlyUntrusted => (None, Some("https://evil.example/p"), None),
            Kind::Neither => (None, None, None),
            Kind::NeitherWithToken => (None, None, Some(good)),
            Kind::BadToken => (None, None, Some(BAD)),
            Kind::TrustedBadToken => (Some(TRUSTED), None, Some(BAD)),
            Kind::NullOrigin => (Some("null"), Some("https://crm.example.com/"), None),
            Kind::NullOriginWithToken => (Some("null"), None, Some(good)),
        };
        RequestFacts::from_headers(origin, referer, token)
    }

    /// What each mode must answer: `Ok(reason)`, `Err(code)`, or `None` for Ask.
    fn expected(mode: PolicyMode, kind: Kind) -> Option<Result<AllowReason, RefuseCode>> {
        use AllowReason as A;
        use Kind as K;
        use RefuseCode as R;
        match mode {
            PolicyMode::Open => Some(Ok(A::OpenMode)),
            PolicyMode::Prompt => match kind {
                K::Trusted | K::TrustedWithToken | K::RefererOnlyTrusted => {
                    Some(Ok(A::TrustedOrigin))
                }
                K::Once => Some(Ok(A::Once)),
                K::Untrusted | K::RefererOnlyUntrusted => None,
                K::UntrustedWithToken | K::NeitherWithToken => Some(Ok(A::Token)),
                K::Neither => Some(Err(R::TokenRequired)),
                K::TrustedBadToken => Some(Ok(A::TrustedOrigin)),
                K::BadToken => Some(Err(R::BadToken)),
                K::NullOrigin | K::NullOriginWithToken => Some(Err(R::OriginRefused)),
            },
            PolicyMode::Strict => match kind {
                K::TrustedWithToken => Some(Ok(A::TrustedOriginAndToken)),
                K::NeitherWithToken => Some(Ok(A::Token)),
                K::Trusted | K::RefererOnlyTrusted | K::Neither => Some(Err(R::TokenRequired)),
                K::Once | K::Untrusted | K::UntrustedWithToken | K::RefererOnlyUntrusted => {
                    Some(Err(R::UntrustedOrigin))
                }
                K::BadToken | K::TrustedBadToken => Some(Err(R::BadToken)),
                K::NullOrigin | K::NullOriginWithToken => Some(Err(R::OriginRefused)),
            },
        }
    }

    #[test]
    fn every_mode_times_every_kind_of_request() {
        let (trust, token) = setup();
        for mode in [PolicyMode::Prompt, PolicyMode::Strict, PolicyMode::Open] {
            for kind in KINDS {
                {
                    let f = facts(kind, token.reveal());
                    let got = decide(mode, &f, &trust, &token);
                    let want = expected(mode, kind);
                    let ctx = format!("{mode:?} {kind:?}");
                    match (want, &got) {
                        (Some(Ok(r)), Decision::Allow { why }) => assert_eq!(*why, r, "{ctx}"),
                        (Some(Err(c)), Decision::Refuse { code, why }) => {
                            assert_eq!(*code, c, "{ctx}");
                            assert!(!why.contains(token.reveal()), "{ctx}");
                            assert!(!why.contains(BAD), "{ctx}");
                        }
                        (None, Decision::Ask { origin }) => {
                            assert_ne!(origin.as_str(), TRUSTED, "{ctx}")
                        }
                        (want, got) => panic!("{ctx}: wanted {want:?}, got {got:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn the_bar_s_own_page_is_trusted_in_every_mode_and_a_denied_origin_is_not_asked_again() {
        let (mut trust, token) = setup();
        trust.bar = Trust::bar_origins(10800);
        assert_eq!(trust.bar.len(), 3);
        for page in ["http://127.0.0.1:10800", "http://localhost:10800"] {
            for mode in [PolicyMode::Prompt, PolicyMode::Strict] {
                let f = RequestFacts::from_headers(Some(page), None, None);
                assert_eq!(
                    decide(mode, &f, &trust, &token),
                    Decision::Allow {
                        why: AllowReason::Bar
                    },
                    "{mode:?} {page}"
                );
            }
        }
        // Another port on loopback is another page, not the bar.
        let f = RequestFacts::from_headers(Some("http://127.0.0.1:8000"), None, None);
        assert!(matches!(
            decide(PolicyMode::Prompt, &f, &trust, &token),
            Decision::Ask { .. }
        ));
        trust.denied.insert(o("http://127.0.0.1:8000"));
        match decide(PolicyMode::Prompt, &f, &trust, &token) {
            Decision::Refuse { code, .. } => assert_eq!(code, RefuseCode::OriginDenied),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ask_names_the_origin_not_the_referer() {
        let (trust, token) = setup();
        let f = facts(Kind::Untrusted, token.reveal());
        assert_eq!(
            decide(PolicyMode::Prompt, &f, &trust, &token),
            Decision::Ask {
                origin: o(STRANGER)
            }
        );
        let f = facts(Kind::RefererOnlyUntrusted, token.reveal());
        assert_eq!(
            decide(PolicyMode::Prompt, &f, &trust, &token),
            Decision::Ask {
                origin: o(STRANGER)
            }
        );
    }

    #[test]
    fn a_near_miss_token_is_refused_without_echo() {
        let (trust, token) = setup();
        let mut near = token.reveal().to_string();
        let last = if near.ends_with('0') { "1" } else { "0" };
        near.replace_range(63.., last);
        for (mode, origin) in [
            (PolicyMode::Prompt, None),
            (PolicyMode::Strict, Some(TRUSTED)),
        ] {
            let f = RequestFacts::from_headers(origin, None, Some(&near));
            match decide(mode, &f, &trust, &token) {
                Decision::Refuse { code, why } => {
                    assert_eq!(code, RefuseCode::BadToken);
                    assert!(!why.contains(&near) && !why.contains(&near[..16]));
                }
                other => panic!("{mode:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn facts_from_headers() {
        let f = RequestFacts::from_headers(Some("HTTPS://CRM.example.com:443"), None, None);
        assert_eq!(f.effective_origin(), Some(&o(TRUSTED)));
        let f = RequestFacts::from_headers(None, Some("https://crm.example.com/a"), None);
        assert_eq!(f.origin, None);
        assert_eq!(f.effective_origin(), Some(&o(TRUSTED)));
        let f = RequestFacts::from_headers(Some("null"), Some(TRUSTED), None);
        assert_eq!(f.effective_origin(), None);
        assert_eq!(f.unreadable_origin, Some(OriginError::Null));
        let f = RequestFacts::from_headers(None, Some("garbage"), None);
        assert!(f.unreadable_origin.is_some());
        let f = RequestFacts::from_headers(None, None, None);
        assert_eq!(f, RequestFacts::default());
    }

    #[test]
    fn trust_serialises_only_the_standing_list() {
        let (trust, _) = setup();
        let s = serde_json::to_string(&trust).unwrap();
        assert_eq!(s, r#"{"origins":["https://crm.example.com"]}"#);
        let back: Trust = serde_json::from_str(&s).unwrap();
        assert!(back.once.is_empty());
        assert!(back.trusts(&o(TRUSTED)));
        assert_eq!(
            serde_json::from_str::<Trust>("{}").unwrap(),
            Trust::default()
        );
    }
}
