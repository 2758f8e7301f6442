//! Calls the server places to play something: the captcha voice of `CLICK_TO_IP_CAPTCHA` /
//! `CLICK_TO_FIXEDLINE_CAPTCHA` with `GET_CAPTCHA_RESULT` (sec 3), and the TTS IVR of
//! `IVR_TTS_CALL` with `IVR_TTS_CALL_RESULT` and `IVR_TTS_CALL_MONITOR` (sec 18).
//!
//! The customer's leg rings (task state 4); once answered (state 1) it hears the voice in
//! [`PLAY_CONTEXT`] for the configured time, then goes to `extnum` (an extension, or a group's
//! queue) or hangs up; a TTS IVR's customer keys in [`GuoxinConfig::tts_input`]. A customer
//! that never answers makes the task fail (state 2). A watcher task follows each call.
//!
//! [`GuoxinConfig::tts_input`]: crate::guoxin::GuoxinConfig::tts_input

use std::time::Duration;

use md5::{Digest, Md5};

use super::Ctx;
use crate::guoxin::reply::{Answer, Op, Outcome};
use crate::guoxin::state::{Inner, Task};
use crate::guoxin::tracker::PLAY_CONTEXT;
use crate::model::{ChannelState, Location, OnAnswer, WaitingCall};
use crate::world::World;
use crate::{Destination, Endpoint, OriginateSpec, Sim};

const CAPTCHA: &str = "captcha";
const TTS: &str = "tts";

/// How often a watcher looks at its call.
const POLL: Duration = Duration::from_millis(50);

/// `md5(password + callee + code + "yyyy-mm-dd")` in lower-case hex.
pub(crate) fn captcha_pwd(password: &str, callee: &str, code: &str, date: &str) -> String {
    Md5::digest(format!("{password}{callee}{code}{date}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `pwd` is right for the configured password (anything goes without one; the seed
/// asks for `no` then).
fn pwd_ok(c: &Ctx<'_>, callee: &str, code: &str) -> bool {
    match &c.st.cfg.captcha_password {
        None => true,
        Some(p) => {
            let want = captcha_pwd(&p.0, callee, code, &c.sim.clock().today());
            c.p.str("pwd").eq_ignore_ascii_case(&want)
        }
    }
}

/// Tasks still calling or playing.
fn active(w: &World, inner: &Inner) -> usize {
    inner
        .tasks
        .values()
        .filter(|t| t.leg.as_deref().is_some_and(|l| w.channels.contains_key(l)))
        .count()
}

/// Rings `callee` for a task; the leg plays `toneid` once answered.
fn place(w: &mut World, inner: &mut Inner, mut task: Task, vars: Vec<(String, String)>) -> bool {
    let spec = OriginateSpec {
        from: Endpoint::External(task.callee.clone()),
        action: OnAnswer::App {
            context: PLAY_CONTEXT.to_owned(),
            exten: task.toneid.clone(),
        },
        callerid: None,
        timeout_ms: None,
        vars,
    };
    let Ok(leg) = w.originate(spec) else {
        return false;
    };
    task.leg = Some(leg);
    task.state = 4;
    inner
        .tasks
        .insert((task.kind.clone(), task.key.clone()), task);
    true
}

/// Puts an answered leg into a group's queue, as a caller waiting there.
fn enqueue(w: &mut World, leg: &str, queue: &str) {
    let now = w.now_ms();
    let Some(call) = w.channels.get(leg).map(|c| c.call.clone()) else {
        return;
    };
    if let Some(c) = w.channels.get_mut(leg) {
        c.location = Location::Queue {
            queue: queue.to_owned(),
        };
        c.peer = None;
    }
    if let Some(q) = w.queues.get_mut(queue) {
        q.waiting.push(WaitingCall {
            call,
            caller_channel: leg.to_owned(),
            since_ms: now,
            offered: None,
            excluded: Vec::new(),
            retry_pending: false,
        });
    }
}

/// Follows a task's call: answered → state 1, plays for `play_ms`, then goes to `extnum` or
/// hangs up; gone unanswered → state 2.
fn watch(sim: &Sim, kind: &'static str, key: String, play_ms: u64) {
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no tokio runtime: Guoxin task not followed");
        return;
    };
    let sim = sim.clone();
    handle.spawn(async move {
        let Some(st) = crate::guoxin::state_of(&sim) else {
            return;
        };
        let id = (kind.to_owned(), key);
        let limit =
            Duration::from_millis(sim.config().originate_timeout_ms) + Duration::from_secs(60);
        let deadline = tokio::time::Instant::now() + limit;
        let answered = loop {
            let leg = st.lock().tasks.get(&id).and_then(|t| t.leg.clone());
            let Some(leg) = leg else { return };
            let state = sim.read(|w| w.channels.get(&leg).map(|c| c.state));
            match state {
                None => break None,
                Some(ChannelState::Up) => break Some(leg),
                Some(_) if tokio::time::Instant::now() >= deadline => return,
                Some(_) => tokio::time::sleep(POLL).await,
            }
        };
        let Some(leg) = answered else {
            let mut inner = st.lock();
            if let Some(t) = inner.tasks.get_mut(&id) {
                t.state = 2;
                t.leg = None;
            }
            return;
        };
        let extnum = {
            let mut inner = st.lock();
            let Some(t) = inner.tasks.get_mut(&id) else {
                return;
            };
            t.state = 1;
            if kind == TTS {
                t.input = st.cfg.tts_input.clone();
            }
            t.extnum.clone()
        };
        tokio::time::sleep(Duration::from_millis(play_ms)).await;
        sim.mutate(|w| {
            if !w.channels.contains_key(&leg) {
                return;
            }
            match extnum.as_deref() {
                Some(q) if w.queues.contains_key(q) => enqueue(w, &leg, q),
                Some(e) => {
                    let _ = w.redirect(&leg, None, &Destination::Number(e.to_owned()));
                }
                None => w.hangup_many(vec![leg.clone()]),
            }
        });
        let mut inner = st.lock();
        if let Some(t) = inner.tasks.get_mut(&id) {
            t.leg = None;
        }
    });
}

/// `CLICK_TO_IP_CAPTCHA` / `CLICK_TO_FIXEDLINE_CAPTCHA`: calls `callee`, plays voice `toneid`
/// `playtimes` times (and `code`), then transfers to `extnum` (an extension or a group) or
/// hangs up. `pwd = md5(password + callee + code + "yyyy-mm-dd")` with the server's date.
///
/// 200; 420 a parameter missing or wrong (`id`, `callee`, `toneid` unknown, `code` or
/// `playtimes` not digits, `extnum` unknown, `id` used before); 401 wrong `pwd`; 421 captcha
/// calls not paid for; 486 too many such calls at once; 503 the model refused the call.
pub(super) fn captcha(c: &Ctx<'_>, op: Op) -> Outcome {
    let cfg = &c.st.cfg;
    if !cfg.captcha_enabled {
        return Err(Answer::code(op, 421));
    }
    let id = c.need("id", op, 420)?.to_owned();
    let callee = c.need("callee", op, 420)?.to_owned();
    let toneid = c.need("toneid", op, 420)?.to_owned();
    let code = c.p.str("code");
    let digits = |s: &str| s.chars().all(|ch| ch.is_ascii_digit());
    let playtimes = match c.p.str("playtimes") {
        "" => 1,
        p => p.parse::<u64>().map_err(|_| Answer::code(op, 420))?,
    };
    if !cfg.tones.iter().any(|t| t == &toneid) || !digits(code) || !digits(c.p.str("precallcount"))
    {
        return Err(Answer::code(op, 420));
    }
    if !pwd_ok(c, &callee, code) {
        return Err(Answer::code(op, 401));
    }
    let extnum = Some(c.p.str("extnum").to_owned()).filter(|e| !e.is_empty());
    let max = cfg.max_outbound_tasks;
    let now = c.sim.clock().now_ms();
    c.mutate(|w, inner| {
        if let Some(e) = &extnum {
            if !w.devices.contains_key(e) && !w.queues.contains_key(e) {
                return Err(Answer::code(op, 420));
            }
        }
        if inner.tasks.contains_key(&(CAPTCHA.to_owned(), id.clone())) {
            return Err(Answer::code(op, 420));
        }
        if active(w, inner) >= max {
            return Err(Answer::code(op, 486));
        }
        let task = Task {
            kind: CAPTCHA.to_owned(),
            key: id.clone(),
            callee: callee.clone(),
            toneid: toneid.clone(),
            state: 0,
            input: String::new(),
            extnum: extnum.clone(),
            leg: None,
            created_ms: now,
        };
        if place(
            w,
            inner,
            task,
            vec![("GUOXIN_CAPTCHA".to_owned(), code.to_owned())],
        ) {
            Ok(())
        } else {
            Err(Answer::code(op, 503))
        }
    })?;
    watch(c.sim, CAPTCHA, id, cfg.captcha_play_ms * playtimes.max(1));
    Ok(Answer::code(op, 200))
}

/// `GET_CAPTCHA_RESULT`: the task state as the body (`0` queued, `1` success, `2` failed, `3`
/// empty number, `4` calling, `5` busy, `6` switched off); `404` (body and status) for an
/// unknown `id`.
pub(super) fn captcha_result(c: &Ctx<'_>) -> Outcome {
    let op = Op::GetCaptchaResult;
    let id = c.p.str("id");
    c.read(|_, inner| {
        inner
            .tasks
            .get(&(CAPTCHA.to_owned(), id.to_owned()))
            .map(|t| Answer::text(op, 200, t.state.to_string()))
            .ok_or_else(|| Answer::text(op, 404, "404"))
    })
}

/// `IVR_TTS_CALL`: calls `callee` into IVR `toneid` with the `ttsXXX` texts spoken.
///
/// 200; 400 a parameter missing or `toneid` unknown; 483 `token` used before; 401 `pwd` needed
/// and wrong ([`crate::guoxin::GuoxinConfig::tts_requires_password`]); 486 too many such calls
/// at once; 480 no TTS engine ([`crate::guoxin::GuoxinConfig::tts_available`]) or the model
/// refused the call.
pub(super) fn tts_call(c: &Ctx<'_>) -> Outcome {
    let op = Op::IvrTtsCall;
    let cfg = &c.st.cfg;
    if !cfg.tts_available {
        return Err(Answer::code(op, 480));
    }
    let token = c.need("token", op, 400)?.to_owned();
    let callee = c.need("callee", op, 400)?.to_owned();
    let toneid = c.need("toneid", op, 400)?.to_owned();
    if !cfg.tones.iter().any(|t| t == &toneid) {
        return Err(Answer::code(op, 400));
    }
    if cfg.tts_requires_password && (c.p.str("pwd").is_empty() || !pwd_ok(c, &callee, "")) {
        return Err(Answer::code(op, 401));
    }
    let vars: Vec<(String, String)> =
        c.p.prefixed("tts")
            .into_iter()
            .map(|(k, v)| (format!("GUOXIN_{}", k.to_ascii_uppercase()), v))
            .collect();
    let max = cfg.max_outbound_tasks;
    let now = c.sim.clock().now_ms();
    c.mutate(|w, inner| {
        if inner.tasks.contains_key(&(TTS.to_owned(), token.clone())) {
            return Err(Answer::code(op, 483));
        }
        if active(w, inner) >= max {
            return Err(Answer::code(op, 486));
        }
        let task = Task {
            kind: TTS.to_owned(),
            key: token.clone(),
            callee: callee.clone(),
            toneid: toneid.clone(),
            state: 0,
            input: String::new(),
            extnum: None,
            leg: None,
            created_ms: now,
        };
        if place(w, inner, task, vars) {
            Ok(())
        } else {
            Err(Answer::code(op, 480))
        }
    })?;
    watch(c.sim, TTS, token, cfg.tts_play_ms);
    Ok(Answer::code(op, 200))
}

/// `IVR_TTS_CALL_RESULT`: `state=<n>` and, once the customer keyed something in,
/// `;<what it keyed>` (e.g. `state=1;satisfact=8`); `state=404` (status 404 too) for an
/// unknown `token`.
pub(super) fn tts_result(c: &Ctx<'_>) -> Outcome {
    let op = Op::IvrTtsCallResult;
    let token = c.p.str("token");
    c.read(|_, inner| {
        inner
            .tasks
            .get(&(TTS.to_owned(), token.to_owned()))
            .map(|t| {
                let mut body = format!("state={}", t.state);
                if !t.input.is_empty() {
                    body.push(';');
                    body.push_str(&t.input);
                }
                Answer::text(op, 200, body)
            })
            .ok_or_else(|| Answer::text(op, 404, "state=404"))
    })
}

/// `IVR_TTS_CALL_MONITOR`: `queue=<callers waiting in the groups' queues>;playcount=<calls
/// hearing a voice now>`.
pub(super) fn tts_monitor(c: &Ctx<'_>) -> Outcome {
    let op = Op::IvrTtsCallMonitor;
    let cfg = &c.st.cfg;
    let (queue, playing) = c.read(|w, _| {
        let queue: usize = cfg
            .groups
            .iter()
            .filter_map(|g| w.queues.get(&g.number))
            .map(|q| q.waiting.len())
            .sum();
        let playing = w
            .channels
            .values()
            .filter(|ch| {
                ch.state == ChannelState::Up
                    && matches!(&ch.location, Location::App { context, .. } if context == PLAY_CONTEXT)
            })
            .count();
        (queue, playing)
    });
    Ok(Answer::text(
        op,
        200,
        format!("queue={queue};playcount={playing}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captcha_password_formula() {
        // md5("guoxin" + "13227841198" + "112233" + "2015-03-16"), computed with Python's
        // hashlib; the seed's own sample pwd cannot be checked (its password is not printed).
        assert_eq!(
            captcha_pwd("guoxin", "13227841198", "112233", "2015-03-16"),
            "023b5ab87f3ec66a188c667af6fa2319"
        );
    }
}
