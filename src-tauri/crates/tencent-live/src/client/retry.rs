//! Backoff with jitter, and a per-action token bucket that keeps calls under Tencent's documented rates.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// How often and how patiently a failed call is repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// No repetition at all.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The pause before attempt `attempt + 1`: exponential (base × 2^(attempt−1), capped), then scaled by
    /// `unit` ∈ [0, 1) into [½, 1) of itself so that many clients retrying together spread out.
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        exp.mul_f64(0.5 + unit.clamp(0.0, 1.0) / 2.0)
    }
}

/// One token bucket: `rate` tokens a second, bursts of at most `rate`.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub fn full(rate: u32, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(rate),
            last: now,
        }
    }

    /// Take a token at `now`, or say how long to wait for one.
    pub fn take(&mut self, rate: u32, now: Instant) -> Result<(), Duration> {
        let rate = f64::from(rate.max(1));
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(rate);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate))
        }
    }
}

/// A bucket per action.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<&'static str, Bucket>>,
}

impl RateLimiter {
    /// Wait until `action` may be called again within `rate` calls a second.
    pub async fn acquire(&self, action: &'static str, rate: u32) {
        loop {
            let wait = {
                let now = Instant::now();
                let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
                let bucket = buckets.entry(action).or_insert_with(|| Bucket::full(rate, now));
                match bucket.take(rate, now) {
                    Ok(()) => return,
                    Err(wait) => wait,
                }
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_caps_and_jitters() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        assert_eq!(p.delay(1, 0.0), Duration::from_millis(50));
        assert_eq!(p.delay(1, 1.0), Duration::from_millis(100));
        assert_eq!(p.delay(3, 1.0), Duration::from_millis(400));
        assert_eq!(p.delay(9, 1.0), Duration::from_millis(1000));
        assert_eq!(p.delay(40, 0.0), Duration::from_millis(500));
    }

    #[test]
    fn bucket_allows_a_burst_then_paces() {
        let t0 = Instant::now();
        let mut b = Bucket::full(4, t0);
        for _ in 0..4 {
            assert_eq!(b.take(4, t0), Ok(()));
        }
        let wait = b.take(4, t0).expect_err("empty bucket");
        assert_eq!(wait, Duration::from_millis(250));
        assert_eq!(b.take(4, t0 + Duration::from_millis(250)), Ok(()));
        assert!(b.take(4, t0 + Duration::from_millis(300)).is_err());
        // A long pause refills to the burst size only.
        let later = t0 + Duration::from_secs(10);
        for _ in 0..4 {
            assert_eq!(b.take(4, later), Ok(()));
        }
        assert!(b.take(4, later).is_err());
    }
}
