//! Log-in (getExtension, seed 2.1), sign-in and sign-out, ready and not ready
//! (setUserCheckInOut).
//!
//! 800hu has no log-out and documents no presence read: signing in logs in and checks in,
//! signing out checks out, and the presence is what the bar last set.

use super::*;

impl Hu800 {
    /// Logs in and keeps what the server says (the long poll's `loginLine`, the masking of
    /// numbers, the extension).
    pub(super) async fn log_in(&self) -> Result<Login, CoreError> {
        let reply = self.call(&get_extension()).await?;
        let login = parse_login(&reply);
        self.book()
            .set_login(login.disable_phone_num, login.extension.clone());
        self.memory().login = Some(login.clone());
        Ok(login)
    }

    /// The login line for the long poll. Before the first sign-in there is none and none is
    /// asked for: getExtension is the log-in, which a server may take as checking in, and the
    /// seed's getLongWaterLine needs no line. A session lost while signed in (the server
    /// refused a long poll) logs in again and puts back the presence the bar last set, so
    /// that a re-login never makes a paused agent ready.
    pub(super) async fn session_line(&self) -> Result<Option<LoginLine>, CoreError> {
        let (login, presence) = {
            let m = self.memory();
            (m.login.clone(), m.presence.clone())
        };
        match (login, presence) {
            (Some(l), _) => Ok(l.login_line),
            (None, Presence::SignedOut) => Ok(None),
            (None, presence) => {
                let login = self.log_in().await?;
                let status = if presence == Presence::Ready {
                    &self.ready
                } else {
                    &self.not_ready
                };
                self.check(status).await?;
                Ok(login.login_line)
            }
        }
    }

    /// Forgets the session, so that the next poll logs in again (a new `loginLine`).
    pub(super) fn forget_login(&self) {
        self.memory().login = None;
    }

    async fn check(&self, status: &StatusValue) -> Result<(), CoreError> {
        self.call(&set_user_check_in_out(status)).await.map(|_| ())
    }

    pub(super) async fn sign_in_now(&self) -> Result<SignedIn, CoreError> {
        let login = self.log_in().await?;
        self.check(&self.ready).await?;
        self.memory().presence = Presence::Ready;
        Ok(SignedIn {
            agent: AgentInfo {
                id: self.cfg.user.clone(),
                name: self.cfg.agent_name.clone().or(login.name),
                extension: login.extension,
                supervisor: false,
            },
            presence: Presence::Ready,
        })
    }

    pub(super) async fn sign_out_now(&self) -> Result<(), CoreError> {
        self.check(&self.not_ready).await?;
        self.memory().presence = Presence::SignedOut;
        Ok(())
    }

    pub(super) async fn set_ready(&self) -> Result<CommandOutcome, CoreError> {
        self.check(&self.ready).await?;
        self.memory().presence = Presence::Ready;
        Ok(CommandOutcome::done())
    }

    /// 800hu knows no reasons: the bar keeps `reason`.
    pub(super) async fn set_not_ready(&self, reason: &str) -> Result<CommandOutcome, CoreError> {
        if !agentbar_core::config::valid_reason(reason) {
            return Err(CoreError::invalid("reason", "1-32 letters, digits, _ or -"));
        }
        self.check(&self.not_ready).await?;
        self.memory().presence = Presence::NotReady {
            reason: Some(reason.to_string()),
        };
        Ok(CommandOutcome::done())
    }
}
