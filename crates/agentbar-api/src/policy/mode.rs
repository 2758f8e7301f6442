//! `PolicyMode`: how strictly the listener treats requests that change anything.

use serde::{Deserialize, Serialize};

/// The policy chosen in settings, stored as `"prompt"`, `"strict"` or `"open"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyMode {
    /// An origin not yet trusted makes the bar ask the agent; until answered it is refused.
    /// A request with no origin at all needs the pairing token.
    #[default]
    Prompt,
    /// Only listed origins, and only with the pairing token. Nothing is asked.
    Strict,
    /// The 800hu client's old behaviour: anything that reaches the listener is obeyed. For
    /// closed networks only; the bar shows a standing warning.
    Open,
}

impl PolicyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyMode::Prompt => "prompt",
            PolicyMode::Strict => "strict",
            PolicyMode::Open => "open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PolicyMode;

    #[test]
    fn default_is_prompt() {
        assert_eq!(PolicyMode::default(), PolicyMode::Prompt);
    }

    #[test]
    fn serde_is_snake_case() {
        for m in [PolicyMode::Prompt, PolicyMode::Strict, PolicyMode::Open] {
            let s = serde_json::to_string(&m).unwrap();
            assert_eq!(s, format!("\"{}\"", m.as_str()));
            assert_eq!(serde_json::from_str::<PolicyMode>(&s).unwrap(), m);
        }
        assert!(serde_json::from_str::<PolicyMode>("\"Prompt\"").is_err());
    }
}
