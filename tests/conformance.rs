//! The conformance suite: every vendor column runs the same scenarios (conformance/
//! scenarios.rs) against its adapter and simulator front end: MVB2000 (polled) and asterCC
//! (pushed events), Guoxin (pushed pop notices, or polled only), plus checks only asterCC's
//! and Guoxin's interfaces allow.

#[path = "conformance/astercc.rs"]
mod astercc;
#[path = "conformance/astercc_bad_input.rs"]
mod astercc_bad_input;
#[path = "conformance/astercc_checks.rs"]
mod astercc_checks;
#[path = "conformance/crm_calls.rs"]
mod crm_calls;
#[path = "conformance/guoxin.rs"]
mod guoxin;
#[path = "conformance/guoxin_bad_input.rs"]
mod guoxin_bad_input;
#[path = "conformance/guoxin_checks.rs"]
mod guoxin_checks;
#[path = "conformance/hu800.rs"]
mod hu800;
#[path = "conformance/hu800_checks.rs"]
mod hu800_checks;
#[path = "conformance/mvb2000.rs"]
mod mvb2000;
#[path = "conformance/scenarios.rs"]
mod scenarios;

/// One `#[tokio::test]` per scenario and column, each on a fresh simulator and session.
/// `$col::$start` starts the column (`column` unless named).
macro_rules! column_tests {
    // The whole scenario list: a new scenario is added here once, for every column.
    ($col:ident as $tests:ident: every scenario) => {
        column_tests!($col::column as $tests:
            sign_in_and_out,
            ready_and_not_ready_with_reason,
            incoming_call_pops_once,
            missed_call_is_recorded,
            dial_and_hang_up,
            blind_transfer,
            consult_and_take_back,
            consult_then_complete_transfer,
            conference_of_three,
            hold_and_resume,
            send_dtmf,
            caller_to_ivr,
            supervisor_actions,
            unsupported_operations_are_refused_and_send_nothing,
            wrap_up_after_a_call,
        );
    };
    ($col:ident as $tests:ident: $($scenario:ident),* $(,)?) => {
        column_tests!($col::column as $tests: $($scenario),*);
    };
    ($col:ident::$start:ident as $tests:ident: $($scenario:ident),* $(,)?) => {
        mod $tests {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let (column, rig) = super::$col::$start().await;
                    super::scenarios::$scenario(&column).await;
                    rig.stop().await;
                }
            )*

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn capability_set() {
                let (column, rig) = super::$col::$start().await;
                super::scenarios::capability_set(&column, super::$col::EXPECTED);
                rig.stop().await;
            }
        }
    };
}

column_tests!(mvb2000 as mvb2000_column: every scenario);

column_tests!(astercc as astercc_column: every scenario);

column_tests!(guoxin as guoxin_column: every scenario);

column_tests!(hu800 as hu800_column: every scenario);

// Push off: every call is learnt from the EXTNUM_STATE poll alone. Not run here: the two
// scenarios that watch a call ring (incoming_call_pops_once, missed_call_is_recorded), since
// EXTNUM_STATE has no ringing state (seed 14: IDEL, BUSY_OUTGOING, BUSY_INCOMING "接听来电通话中",
// OFFLINE): a polled call shows up as talking. guoxin_checks has the polled pop instead.
column_tests!(guoxin::polled_column as guoxin_polled_column:
    sign_in_and_out,
    ready_and_not_ready_with_reason,
    dial_and_hang_up,
    blind_transfer,
    consult_and_take_back,
    consult_then_complete_transfer,
    conference_of_three,
    hold_and_resume,
    send_dtmf,
    caller_to_ivr,
    supervisor_actions,
    unsupported_operations_are_refused_and_send_nothing,
    wrap_up_after_a_call,
);

/// The README's capability matrix says what the adapters' capability sets say: for each
/// operation, the support word and the note of MVB2000, asterCC, Guoxin and 800hu (the
/// demo profiles).
#[test]
fn readme_matrix_matches_the_adapters() {
    use agentbar_core::{CapabilitySet, Operation, Support};
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let astercc =
        agentbar_astercc::AsterccConfig::new("http://127.0.0.1", "astercc", "8005", "2011");
    let guoxin = agentbar_guoxin::GuoxinConfig::new("127.0.0.1", "2011");
    let columns: [(&str, CapabilitySet); 4] = [
        ("MVB2000", agentbar_mvb2000::capabilities::capabilities()),
        (
            "asterCC",
            agentbar_astercc::capabilities::capabilities(&astercc),
        ),
        (
            "Guoxin",
            agentbar_guoxin::capabilities::capabilities(&guoxin),
        ),
        ("800hu", agentbar_hu800::capabilities()),
    ];
    let header = readme
        .lines()
        .find(|l| l.starts_with("| operation |"))
        .expect("README has the matrix");
    let titles: Vec<&str> = header.split('|').map(str::trim).collect();
    for op in Operation::ALL {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", op.as_str())))
            .unwrap_or_else(|| panic!("README has no row for {op}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(
            cells.len(),
            titles.len(),
            "README row for {op} has every column"
        );
        for (i, (vendor, caps)) in columns.iter().enumerate() {
            let at = 2 + 2 * i;
            assert_eq!(titles[at], *vendor, "README column {at}");
            let word = match caps.support(op) {
                Support::Server => "server",
                Support::Client => "client side",
                Support::Unavailable => "not available",
            };
            assert_eq!(cells[at], word, "README {vendor} row for {op}");
            assert_eq!(
                cells[at + 1],
                caps.0[&op].note,
                "README {vendor} note for {op}"
            );
        }
    }
}
