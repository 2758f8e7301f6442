//! Order statistics of a set of latencies.

use std::time::Duration;

/// Nearest-rank percentiles of a sample, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub min_us: f64,
    pub median_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    pub mean_us: f64,
}

impl Summary {
    /// Summarises `samples`; `None` when there are none.
    pub fn of(samples: &[Duration]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let mut us: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(f64::total_cmp);
        let mean_us = us.iter().sum::<f64>() / us.len() as f64;
        Some(Summary {
            count: us.len(),
            min_us: us[0],
            median_us: rank(&us, 0.50),
            p90_us: rank(&us, 0.90),
            p99_us: rank(&us, 0.99),
            max_us: us[us.len() - 1],
            mean_us,
        })
    }
}

/// The nearest-rank `q` quantile of sorted, non-empty `sorted`.
fn rank(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let r = (q * n as f64).ceil() as usize;
    sorted[r.clamp(1, n) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        let s = Summary::of(&samples).unwrap();
        assert_eq!(s.count, 100);
        assert_eq!(s.min_us, 1.0);
        assert_eq!(s.median_us, 50.0);
        assert_eq!(s.p90_us, 90.0);
        assert_eq!(s.p99_us, 99.0);
        assert_eq!(s.max_us, 100.0);
        assert!((s.mean_us - 50.5).abs() < 1e-9);
    }

    #[test]
    fn one_sample_is_every_percentile() {
        let s = Summary::of(&[Duration::from_millis(3)]).unwrap();
        assert_eq!((s.median_us, s.p99_us, s.max_us), (3000.0, 3000.0, 3000.0));
        assert!(Summary::of(&[]).is_none());
    }
}
