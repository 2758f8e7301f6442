//! `RateLimiter`: a token bucket per origin, so one page (or everything without an origin,
//! counted together) cannot flood the CTI server. Pure: the caller passes the time in, so
//! tests need no clock.

use super::origin::Origin;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The key for requests with no origin.
pub const NO_ORIGIN: &str = "no-origin";

/// How many requests a bucket holds and how fast it refills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests allowed in a burst (the bucket's size).
    pub burst: u32,
    /// Requests per second added back, up to `burst`.
    pub per_second: f64,
}

impl Default for RateLimit {
    /// 10 at once, then 2 a second: far above an agent's clicks, far below a flood.
    fn default() -> Self {
        RateLimit {
            burst: 10,
            per_second: 2.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets keyed by origin (or [`NO_ORIGIN`]), at most `max_keys` of them.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    max_keys: usize,
    buckets: HashMap<String, Bucket>,
}

impl RateLimiter {
    /// Most origins tracked at once; a page can mint many subdomains, memory must not grow
    /// with them.
    pub const DEFAULT_MAX_KEYS: usize = 1024;

    pub fn new(limit: RateLimit) -> Self {
        Self::with_max_keys(limit, Self::DEFAULT_MAX_KEYS)
    }

    pub fn with_max_keys(limit: RateLimit, max_keys: usize) -> Self {
        RateLimiter {
            limit,
            max_keys: max_keys.max(1),
            buckets: HashMap::new(),
        }
    }

    /// Takes one request from `origin`'s bucket at `now`.
    ///
    /// # Errors
    ///
    /// The wait until a request would be allowed again, when the bucket is empty.
    pub fn check(&mut self, origin: Option<&Origin>, now: Instant) -> Result<(), Duration> {
        let key = origin.map_or(NO_ORIGIN, Origin::as_str);
        let limit = self.limit;
        let capacity = f64::from(limit.burst);
        if !self.buckets.contains_key(key) && self.buckets.len() >= self.max_keys {
            self.evict(now);
        }
        let bucket = self.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        // A clock passed in out of order adds nothing rather than panicking.
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.per_second).min(capacity);
        bucket.at = bucket.at.max(now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if limit.per_second > 0.0 {
            Err(
                Duration::try_from_secs_f64((1.0 - bucket.tokens) / limit.per_second)
                    .unwrap_or(Duration::MAX),
            )
        } else {
            Err(Duration::MAX)
        }
    }

    /// Forgets buckets that have refilled (they behave like new ones); if none has, the one
    /// idle longest.
    fn evict(&mut self, now: Instant) {
        let (capacity, rate) = (f64::from(self.limit.burst), self.limit.per_second);
        self.buckets.retain(|_, b| {
            b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < capacity
        });
        if self.buckets.len() >= self.max_keys {
            if let Some(oldest) = self
                .buckets
                .iter()
                .min_by_key(|(_, b)| b.at)
                .map(|(k, _)| k.clone())
            {
                self.buckets.remove(&oldest);
            }
        }
    }

    /// Origins currently tracked.
    pub fn tracked(&self) -> usize {
        self.buckets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::{RateLimit, RateLimiter};
    use crate::policy::Origin;
    use std::time::{Duration, Instant};

    fn o(s: &str) -> Origin {
        Origin::from_header(s).unwrap()
    }

    const LIMIT: RateLimit = RateLimit {
        burst: 3,
        per_second: 1.0,
    };

    #[test]
    fn burst_then_refused_then_refilled() {
        let mut r = RateLimiter::new(LIMIT);
        let t0 = Instant::now();
        let a = o("https://a.example");
        for _ in 0..3 {
            assert_eq!(r.check(Some(&a), t0), Ok(()));
        }
        let wait = r.check(Some(&a), t0).unwrap_err();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1));
        assert!(r.check(Some(&a), t0 + Duration::from_millis(500)).is_err());
        assert_eq!(r.check(Some(&a), t0 + Duration::from_millis(1000)), Ok(()));
        assert!(r.check(Some(&a), t0 + Duration::from_millis(1000)).is_err());
        // A long pause refills only up to the burst.
        let later = t0 + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(r.check(Some(&a), later), Ok(()));
        }
        assert!(r.check(Some(&a), later).is_err());
    }

    #[test]
    fn origins_have_their_own_buckets_and_no_origin_shares_one() {
        let mut r = RateLimiter::new(LIMIT);
        let t0 = Instant::now();
        let a = o("https://a.example");
        let b = o("https://b.example");
        for _ in 0..3 {
            r.check(Some(&a), t0).unwrap();
            r.check(None, t0).unwrap();
        }
        assert!(r.check(Some(&a), t0).is_err());
        assert!(r.check(None, t0).is_err());
        assert_eq!(r.check(Some(&b), t0), Ok(()));
    }

    #[test]
    fn clock_going_backwards_does_not_panic_or_refill() {
        let mut r = RateLimiter::new(LIMIT);
        let t1 = Instant::now() + Duration::from_secs(10);
        for _ in 0..3 {
            r.check(None, t1).unwrap();
        }
        assert!(r.check(None, t1 - Duration::from_secs(5)).is_err());
        assert!(r.check(None, t1 + Duration::from_millis(500)).is_err());
        assert_eq!(r.check(None, t1 + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn tracked_origins_are_bounded() {
        let mut r = RateLimiter::with_max_keys(LIMIT, 4);
        let t0 = Instant::now();
        for i in 0..50 {
            let origin = o(&format!("https://s{i}.example"));
            r.check(Some(&origin), t0 + Duration::from_millis(i))
                .unwrap();
            assert!(r.tracked() <= 4);
        }
    }

    #[test]
    fn zero_rate_never_refills() {
        let mut r = RateLimiter::new(RateLimit {
            burst: 1,
            per_second: 0.0,
        });
        let t0 = Instant::now();
        r.check(None, t0).unwrap();
        assert_eq!(
            r.check(None, t0 + Duration::from_secs(3600)),
            Err(Duration::MAX)
        );
    }
}
