//! The phase timer the PDF bench reads. In the browser
//! (`wasm32-unknown-unknown`) `std::time::Instant` panics, and the core
//! never reads the clock for what it writes: there every phase takes zero.

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub use std::time::Instant;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use browser::Instant;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod browser {
    use std::time::Duration;

    /// A timer that measures nothing.
    #[derive(Debug, Clone, Copy)]
    pub struct Instant;

    impl Instant {
        pub fn now() -> Instant {
            Instant
        }
        pub fn elapsed(&self) -> Duration {
            Duration::ZERO
        }
    }

    impl std::ops::Sub for Instant {
        type Output = Duration;
        fn sub(self, _: Instant) -> Duration {
            Duration::ZERO
        }
    }
}
