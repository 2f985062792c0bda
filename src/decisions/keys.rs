//! The keys assessors have: how a decision gets its SSHSIG signature.
//!
//! - **A key in memory** ([`Signer::Key`]): Ed25519 and ECDSA P-256/P-384 are
//!   signed by the `ssh-key` crate; RSA by the `rsa` crate that `ssh-key`
//!   itself uses (PKCS#1 v1.5 with SHA-512, `rsa-sha2-512`, as `ssh-keygen
//!   -Y sign` makes it), because `ssh-key` 0.6.7 builds the RSA private key
//!   from the first prime twice and so cannot sign. A key with a passphrase
//!   is decrypted in memory by `ssh-key` (bcrypt-pbkdf, AES) with the
//!   passphrase the caller asked for; neither is ever written or logged
//!   (`ssh-key` wipes the private key when it is dropped).
//! - **ssh-agent** ([`Signer::Agent`], native only): a running agent that
//!   holds the key signs, through `ssh-keygen -Y sign -f PUBLIC_KEY`, which
//!   OpenSSH documents for exactly this ("a public key with the private
//!   half available via ssh-agent"). Chosen over an agent-protocol crate:
//!   the same program the EQA verifies with, no new protocol code, and
//!   the private key never comes near this process.
//! - **ssh-keygen with the key file** ([`Signer::KeygenFile`], native
//!   only): ECDSA P-521 keys without a passphrase, which `ssh-key` signs
//!   wrongly about half the time.
//!
//! Every signature made here is verified with the public key before it is
//! used, so a signer that misbehaves can never store a bad record.

use super::sign::SignError;
pub use ssh_key::PrivateKey;
use ssh_key::{Algorithm, EcdsaCurve, HashAlg, PublicKey, SshSig};
use std::path::Path;
#[cfg(feature = "native")]
use std::path::PathBuf;

/// How a decision is signed.
pub enum Signer {
    /// A private key held in memory (decrypted, if it had a passphrase).
    Key(Box<PrivateKey>),
    /// The key is held by the running ssh-agent (`SSH_AUTH_SOCK`).
    #[cfg(feature = "native")]
    Agent(PublicKey),
    /// `ssh-keygen -Y sign` reads the key file itself (P-521, no passphrase).
    #[cfg(feature = "native")]
    KeygenFile { path: PathBuf, public: PublicKey },
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private key: only how, and whose.
        write!(f, "Signer({}, {})", self.how(), self.fingerprint())
    }
}

impl From<PrivateKey> for Signer {
    fn from(key: PrivateKey) -> Signer {
        Signer::Key(Box::new(key))
    }
}

impl Signer {
    /// The public half: what the roster lists.
    pub fn public_key(&self) -> &PublicKey {
        match self {
            Signer::Key(k) => k.public_key(),
            #[cfg(feature = "native")]
            Signer::Agent(p) | Signer::KeygenFile { public: p, .. } => p,
        }
    }

    /// `SHA256:…`, to say whose key signs.
    pub fn fingerprint(&self) -> String {
        self.public_key().fingerprint(HashAlg::Sha256).to_string()
    }

    /// "key file", "ssh-agent", "ssh-keygen": how it signs, for messages.
    pub fn how(&self) -> &'static str {
        match self {
            Signer::Key(_) => "key file",
            #[cfg(feature = "native")]
            Signer::Agent(_) => "ssh-agent",
            #[cfg(feature = "native")]
            Signer::KeygenFile { .. } => "ssh-keygen",
        }
    }

    /// The SSHSIG (hash SHA-512) of `msg` in `namespace`, verified with
    /// the public key before it is returned.
    pub fn sign(&self, namespace: &str, msg: &[u8]) -> Result<SshSig, SignError> {
        let sig = match self {
            Signer::Key(k) if matches!(k.algorithm(), Algorithm::Rsa { .. }) => sign_rsa(k, namespace, msg)?,
            Signer::Key(k) => k
                .sign(namespace, HashAlg::Sha512, msg)
                .map_err(|e| SignError::Sign(e.to_string()))?,
            #[cfg(feature = "native")]
            Signer::Agent(public) => keygen::sign_with_agent(public, namespace, msg)?,
            #[cfg(feature = "native")]
            Signer::KeygenFile { path, .. } => keygen::sign(path, namespace, msg)?,
        };
        self.public_key()
            .verify(namespace, msg, &sig)
            .map_err(|_| SignError::Sign(format!("the {} made a signature that does not verify", self.how())))?;
        Ok(sig)
    }
}

/// Reads an OpenSSH private key file, encrypted or not. A public key file
/// is refused with what to give instead.
pub fn read_key(path: &Path) -> Result<PrivateKey, SignError> {
    if path.extension().is_some_and(|e| e == "pub") {
        return Err(SignError::PublicHalf(path.to_path_buf()));
    }
    let text = std::fs::read(path).map_err(|e| SignError::Key {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    parse_key(&text, path)
}

/// The OpenSSH private key in `bytes` (the file `path`, as named in
/// messages; in the browser, the file the assessor picked), encrypted or
/// not. A public key is refused with what to give instead.
pub fn parse_key(bytes: &[u8], path: &Path) -> Result<PrivateKey, SignError> {
    if bytes.len() > 64 * 1024 {
        return Err(SignError::Key {
            path: path.to_path_buf(),
            reason: "it is larger than 64 KiB, so it is not an OpenSSH key".to_string(),
        });
    }
    let text = String::from_utf8_lossy(bytes);
    if PublicKey::from_openssh(text.trim()).is_ok() {
        return Err(SignError::PublicHalf(path.to_path_buf()));
    }
    PrivateKey::from_openssh(text.as_bytes()).map_err(|e| SignError::Key {
        path: path.to_path_buf(),
        reason: format!(
            "{e} (an OpenSSH private key, as ssh-keygen writes it, starts with -----BEGIN OPENSSH PRIVATE KEY-----)"
        ),
    })
}

/// `key` decrypted with `passphrase` (kept as given: no trimming).
pub fn decrypt(key: &PrivateKey, passphrase: &str, path: &Path) -> Result<PrivateKey, SignError> {
    key.decrypt(passphrase.as_bytes())
        .map_err(|_| SignError::Passphrase(path.to_path_buf()))
}

/// Whether `ssh-key` can sign with keys of this algorithm in memory.
fn signs_in_memory(algorithm: &Algorithm) -> bool {
    matches!(
        algorithm,
        Algorithm::Ed25519
            | Algorithm::Rsa { .. }
            | Algorithm::Ecdsa {
                curve: EcdsaCurve::NistP256 | EcdsaCurve::NistP384
            }
    )
}

/// The signer for the key file at `path`: the running ssh-agent when it
/// holds the key and the key has a passphrase (as git does); else the key
/// itself, decrypted with the passphrase `ask` gives (`None`: none can be
/// asked for).
pub fn open(path: &Path, ask: &mut dyn FnMut() -> Option<String>) -> Result<Signer, SignError> {
    match read_key(path) {
        Ok(key) => ready(path, key, ask),
        // Some P-521 key files `ssh-key` cannot read: OpenSSH can.
        #[cfg(feature = "native")]
        Err(e @ SignError::Key { .. }) => keygen::open_unreadable(path).ok_or(e),
        Err(e) => Err(e),
    }
}

/// [`open`] for a key already read.
pub fn ready(path: &Path, key: PrivateKey, ask: &mut dyn FnMut() -> Option<String>) -> Result<Signer, SignError> {
    let algorithm = key.algorithm();
    if !matches!(
        algorithm,
        Algorithm::Ed25519 | Algorithm::Rsa { .. } | Algorithm::Ecdsa { .. }
    ) {
        return Err(SignError::Sign(format!(
            "portfolio signs with Ed25519, ECDSA or RSA keys, not {algorithm}: make one with `ssh-keygen -t ed25519` and have the centre list it in the roster"
        )));
    }
    #[cfg(feature = "native")]
    if (key.is_encrypted() || !signs_in_memory(&algorithm)) && keygen::agent_holds(key.public_key()) {
        return Ok(Signer::Agent(key.public_key().clone()));
    }
    if !signs_in_memory(&algorithm) {
        #[cfg(feature = "native")]
        if !key.is_encrypted() {
            return Ok(Signer::KeygenFile {
                path: path.to_path_buf(),
                public: key.public_key().clone(),
            });
        }
        return Err(SignError::Sign(format!(
            "a {algorithm} key with a passphrase is signed through ssh-agent: run `ssh-add {}` and try again",
            path.display()
        )));
    }
    if key.is_encrypted() {
        let passphrase = ask().ok_or_else(|| SignError::Encrypted(path.to_path_buf()))?;
        return Ok(Signer::from(decrypt(&key, &passphrase, path)?));
    }
    Ok(Signer::from(key))
}

/// RSA with SHA-512 (`rsa-sha2-512`), by the `rsa` crate from the key's
/// own components (n, e, d, p and q).
fn sign_rsa(key: &PrivateKey, namespace: &str, msg: &[u8]) -> Result<SshSig, SignError> {
    use rsa::signature::{SignatureEncoding, Signer as _};
    use rsa::traits::PublicKeyParts as _;
    let err = |what: &str| SignError::Sign(format!("cannot sign with this RSA key: {what}"));
    let Some(kp) = key.key_data().rsa() else {
        return Err(err("not an RSA key"));
    };
    let big = |m: &ssh_key::Mpint| {
        m.as_positive_bytes()
            .map(rsa::BigUint::from_bytes_be)
            .ok_or_else(|| err("a component is not a positive number"))
    };
    let private = rsa::RsaPrivateKey::from_components(
        big(&kp.public.n)?,
        big(&kp.public.e)?,
        big(&kp.private.d)?,
        vec![big(&kp.private.p)?, big(&kp.private.q)?],
    )
    .map_err(|e| err(&e.to_string()))?;
    if private.size() * 8 < 2048 {
        return Err(err(
            "it is shorter than 2048 bits; make a new key with `ssh-keygen -t ed25519`",
        ));
    }
    let signed = SshSig::signed_data(namespace, HashAlg::Sha512, msg).map_err(|e| err(&e.to_string()))?;
    let signature = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha512>::new(private)
        .try_sign(&signed)
        .map_err(|e| err(&e.to_string()))?;
    let signature = ssh_key::Signature::new(
        Algorithm::Rsa {
            hash: Some(HashAlg::Sha512),
        },
        signature.to_vec(),
    )
    .map_err(|e| err(&e.to_string()))?;
    SshSig::new(
        key.public_key().key_data().clone(),
        namespace,
        HashAlg::Sha512,
        signature,
    )
    .map_err(|e| err(&e.to_string()))
}

/// Signing through OpenSSH's own `ssh-keygen -Y sign`: the message on its
/// standard input, the armored signature on its standard output; nothing
/// secret is written (the public key goes to a temporary file, as `-f`
/// needs a file).
#[cfg(feature = "native")]
mod keygen {
    use super::*;
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    /// Whether the running agent (`SSH_AUTH_SOCK`) holds `public`'s
    /// private half (`ssh-add -L` lists it).
    pub fn agent_holds(public: &PublicKey) -> bool {
        if std::env::var_os("SSH_AUTH_SOCK").is_none_or(|s| s.is_empty()) {
            return false;
        }
        let Ok(out) = Command::new("ssh-add")
            .arg("-L")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
        else {
            return false;
        };
        out.status.success()
            && String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| PublicKey::from_openssh(l.trim()).ok())
                .any(|k| k.key_data() == public.key_data())
    }

    /// A key file `ssh-key` cannot read: signed by ssh-agent when it holds
    /// the key (the public half from `KEY.pub` or from the file), else by
    /// ssh-keygen from the file when it has no passphrase.
    pub fn open_unreadable(path: &Path) -> Option<Signer> {
        let unencrypted = Command::new("ssh-keygen")
            .args(["-y", "-P", "", "-f"])
            .arg(path)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| PublicKey::from_openssh(String::from_utf8_lossy(&o.stdout).trim()).ok());
        let mut public_file = path.as_os_str().to_owned();
        public_file.push(".pub");
        let public = unencrypted.clone().or_else(|| {
            let text = std::fs::read_to_string(PathBuf::from(public_file)).ok()?;
            PublicKey::from_openssh(text.trim()).ok()
        })?;
        if agent_holds(&public) {
            return Some(Signer::Agent(public));
        }
        unencrypted.map(|public| Signer::KeygenFile {
            path: path.to_path_buf(),
            public,
        })
    }

    pub fn sign_with_agent(public: &PublicKey, namespace: &str, msg: &[u8]) -> Result<SshSig, SignError> {
        let text = public.to_openssh().map_err(|e| SignError::Sign(e.to_string()))?;
        let mut file = tempfile::Builder::new()
            .prefix("portfolio-key.")
            .suffix(".pub")
            .tempfile()
            .map_err(|e| SignError::Sign(format!("cannot write the public key for ssh-keygen: {e}")))?;
        writeln!(file, "{text}").map_err(|e| SignError::Sign(e.to_string()))?;
        sign(file.path(), namespace, msg)
    }

    pub fn sign(key_file: &Path, namespace: &str, msg: &[u8]) -> Result<SshSig, SignError> {
        let mut child = Command::new("ssh-keygen")
            .args(["-q", "-Y", "sign", "-n", namespace, "-f"])
            .arg(key_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| SignError::Sign(format!("cannot run ssh-keygen (OpenSSH) to sign: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(msg)
                .map_err(|e| SignError::Sign(format!("cannot give ssh-keygen the message: {e}")))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| SignError::Sign(format!("ssh-keygen did not finish: {e}")))?;
        if !out.status.success() {
            return Err(SignError::Sign(format!(
                "ssh-keygen -Y sign failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        SshSig::from_pem(String::from_utf8_lossy(&out.stdout).trim())
            .map_err(|e| SignError::Sign(format!("ssh-keygen's signature cannot be read: {e}")))
    }
}
