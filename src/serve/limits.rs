//! What one request to `serve` may ask of it: how large a body may be, how
//! long its parts may take, how many live-update streams one site may hold.
//! One constant, [`LIMITS`], so that the server enforces and the workspace
//! tells its users the same figures ([`Limits::for_users`]).

use std::time::Duration;

/// The bounds every connection and request is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file one upload may send (the workspace's uploads).
    pub upload_bytes: u64,
    /// The largest form (a decision, an item's fields) a request may send.
    pub form_bytes: u64,
    /// An evidence item saved from the learner's form (its narrative and
    /// fields, as JSON); the engine reads items of up to 4 MB.
    pub item_bytes: u64,
    /// How long a client may take to send a request's line and headers.
    pub header_time: Duration,
    /// How long a client may take to send a body once its headers are in.
    pub body_time: Duration,
    /// How long a write to a client may wait for it to read.
    pub write_time: Duration,
    /// Connections open at once; more wait to be accepted.
    pub connections: usize,
    /// Live-update streams one site (one `Origin`) may hold open at once.
    pub streams_per_origin: usize,
}

/// The limits `serve` runs with.
pub const LIMITS: Limits = Limits {
    upload_bytes: 25 * 1024 * 1024,
    form_bytes: 64 * 1024,
    item_bytes: 1024 * 1024,
    header_time: Duration::from_secs(10),
    body_time: Duration::from_secs(60),
    write_time: Duration::from_secs(10),
    connections: 256,
    streams_per_origin: 8,
};

const _: () = assert!(LIMITS.form_bytes < LIMITS.upload_bytes && LIMITS.streams_per_origin > 0);

impl Limits {
    /// The limits as a sentence for the people who upload and fill in forms.
    pub fn for_users(&self) -> String {
        format!(
            "Each file you upload may be up to {} MB, and each form up to {} KB; \
             a file must arrive within {} seconds.",
            self.upload_bytes / (1024 * 1024),
            self.form_bytes / 1024,
            self.body_time.as_secs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_are_told_the_figures_enforced() {
        let said = LIMITS.for_users();
        assert!(said.contains("25 MB"), "{said}");
        assert!(said.contains("64 KB"), "{said}");
        assert!(said.contains("60 seconds"), "{said}");
    }
}
