//! One way to run a property: `make test` tries [`BRIEF_CASES`] generated inputs (shrinking a
//! failure to a small example); `make fuzz` sets `FUZZ_SECONDS` and each property keeps generating
//! inputs, in rounds with fresh seeds, until that time is up, then prints how many cases it ran. A
//! failing case panics with the input proptest shrank it to.

use std::time::{Duration, Instant};

pub use proptest;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

/// Cases per property in a normal test run.
pub const BRIEF_CASES: u32 = 256;

/// Check `property` on inputs from `strategy`; `name` labels the report.
pub fn check<S, F>(name: &str, strategy: S, property: F)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    F: Fn(S::Value) -> Result<(), TestCaseError>,
{
    let seconds: Option<u64> = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    let round = |cases: u32| {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        match runner.run(&strategy, &property) {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => panic!("{name}: {why}\nsmallest failing input: {input:#?}"),
            Err(TestError::Abort(why)) => panic!("{name}: aborted: {why}"),
        }
    };
    let Some(seconds) = seconds else {
        round(BRIEF_CASES);
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut cases: u64 = 0;
    while Instant::now() < deadline {
        round(1000);
        cases += 1000;
    }
    println!(
        "fuzz {name}: {cases} cases in {:.0} s, no failure",
        started.elapsed().as_secs_f64()
    );
}
