//! The conformance suite: every vendor column runs the same scenarios (conformance/
//! scenarios.rs) against its adapter and simulator front end. MVB2000 is the first column.

#[path = "conformance/mvb2000.rs"]
mod mvb2000;
#[path = "conformance/scenarios.rs"]
mod scenarios;

/// One `#[tokio::test]` per scenario and column, each on a fresh simulator and session.
macro_rules! column_tests {
    ($col:ident as $tests:ident: $($scenario:ident),* $(,)?) => {
        mod $tests {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let (column, rig) = super::$col::column().await;
                    super::scenarios::$scenario(&column).await;
                    rig.stop().await;
                }
            )*

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn capability_set() {
                let (column, rig) = super::$col::column().await;
                super::scenarios::capability_set(&column, super::$col::EXPECTED);
                rig.stop().await;
            }
        }
    };
}

column_tests!(mvb2000 as mvb2000_column:
    sign_in_and_out,
    ready_and_not_ready_with_reason,
    incoming_call_pops_once,
    missed_call_is_recorded,
    dial_and_hang_up,
    blind_transfer,
    consult_and_take_back,
    conference_of_three,
    supervisor_actions,
    unsupported_operations_are_refused_and_send_nothing,
    wrap_up_after_a_call,
);

/// The README's capability matrix says what the adapters' capability sets say.
#[test]
fn readme_matrix_matches_the_mvb2000_column() {
    use agentbar_core::{Operation, Support};
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let caps = agentbar_mvb2000::capabilities::capabilities();
    for op in Operation::ALL {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", op.as_str())))
            .unwrap_or_else(|| panic!("README has no row for {op}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let word = match caps.support(op) {
            Support::Server => "server",
            Support::Client => "client side",
            Support::Unavailable => "not available",
        };
        assert_eq!(cells[2], word, "README row for {op}");
        assert_eq!(cells[3], caps.0[&op].note, "README note for {op}");
    }
}
