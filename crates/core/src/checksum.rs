//! A migration's identity: a SHA-256 of its bytes after normalising what editors and git change
//! without meaning to.
//!
//! A UTF-8 byte-order mark and CRLF line endings are invisible in an editor and flip with
//! `core.autocrlf`; if they changed the checksum, a Windows checkout would look like an edited
//! migration. Everything else — a space, a comment — is a real edit and changes it.
//! The algorithm is part of the value (`sha256:…`) so that it can change later without
//! every stored checksum becoming ambiguous.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// An algorithm-tagged digest of normalised file contents, written `sha256:<64 hex digits>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Checksum {
    sha256: [u8; 32],
}

impl Checksum {
    /// The checksum of `bytes` after [`normalise`].
    pub fn of(bytes: &[u8]) -> Checksum {
        Checksum::of_normalised(normalise(bytes).as_ref())
    }

    /// The checksum of bytes [`normalise`] already went over.
    pub(crate) fn of_normalised(bytes: &[u8]) -> Checksum {
        Checksum {
            sha256: Sha256::digest(bytes).into(),
        }
    }

    /// `Checksum::of(text + "\n")` (of `""` for an empty `text`) without building that string,
    /// or `None` when normalising would change the text, which the caller then builds.
    pub(crate) fn of_text_and_newline(text: &str) -> Option<Checksum> {
        let bytes = text.as_bytes();
        if bytes.starts_with(UTF8_BOM) || has_crlf(bytes) {
            return None;
        }
        let mut hasher = Sha256::new();
        if !bytes.is_empty() {
            hasher.update(bytes);
            hasher.update(b"\n");
        }
        Some(Checksum {
            sha256: hasher.finalize().into(),
        })
    }

    /// The lowercase hex digest without the algorithm tag.
    pub fn hex(&self) -> String {
        self.hex_digits().as_str().to_owned()
    }

    /// The hex digest in a buffer of its own, for writing it without an allocation.
    pub(crate) fn hex_digits(&self) -> HexDigits {
        let mut digits = [0u8; 64];
        for (pair, byte) in digits.chunks_exact_mut(2).zip(self.sha256) {
            pair[0] = HEX_DIGITS[usize::from(byte >> 4)];
            pair[1] = HEX_DIGITS[usize::from(byte & 0x0f)];
        }
        HexDigits(digits)
    }
}

/// Hashes bytes written piece by piece, so that a long text made of many small pieces need
/// not be built first. Equal to [`Checksum::of`] of the concatenation only when that has
/// nothing to normalise (no leading BOM, no CRLF), which the caller makes sure of.
pub(crate) struct PlainHasher(Sha256);

impl PlainHasher {
    pub(crate) fn new() -> PlainHasher {
        PlainHasher(Sha256::new())
    }

    pub(crate) fn write(&mut self, piece: &[u8]) {
        self.0.update(piece);
    }

    pub(crate) fn finish(self) -> Checksum {
        Checksum {
            sha256: self.0.finalize().into(),
        }
    }
}

/// The 64 lowercase hex digits of a digest.
pub(crate) struct HexDigits([u8; 64]);

impl HexDigits {
    /// The digits as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written into it.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Strips a leading UTF-8 BOM and turns every CRLF into LF; borrows when there is nothing to do.
pub fn normalise(bytes: &[u8]) -> Cow<'_, [u8]> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if !has_crlf(bytes) {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&byte, tail)) = rest.split_first() {
        if !(byte == b'\r' && tail.first() == Some(&b'\n')) {
            out.push(byte);
        }
        rest = tail;
    }
    Cow::Owned(out)
}

/// Whether `bytes` holds a CRLF pair.
fn has_crlf(bytes: &[u8]) -> bool {
    // `contains` is a memchr (fast even in debug builds); most files have no `\r` at all.
    bytes.contains(&b'\r') && bytes.windows(2).any(|pair| pair == b"\r\n")
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex_digits().as_str())
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a stored checksum could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChecksumParseError {
    /// The value does not start with a known `algorithm:` tag.
    #[error("unknown checksum algorithm in {0:?} (expected `sha256:`)")]
    UnknownAlgorithm(String),
    /// The digest is not 64 lowercase hex digits.
    #[error("malformed sha256 digest in {0:?} (expected 64 lowercase hex digits)")]
    MalformedDigest(String),
}

impl FromStr for Checksum {
    type Err = ChecksumParseError;

    fn from_str(text: &str) -> Result<Checksum, ChecksumParseError> {
        let Some(hex) = text.strip_prefix("sha256:") else {
            return Err(ChecksumParseError::UnknownAlgorithm(text.to_owned()));
        };
        let malformed = || ChecksumParseError::MalformedDigest(text.to_owned());
        if hex.len() != 64 {
            return Err(malformed());
        }
        let mut sha256 = [0u8; 32];
        for (byte, pair) in sha256.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let high = HEX_VALUES[usize::from(pair[0])];
            let low = HEX_VALUES[usize::from(pair[1])];
            if (high | low) > 0x0f {
                return Err(malformed());
            }
            *byte = high << 4 | low;
        }
        Ok(Checksum { sha256 })
    }
}

/// Each byte's value as a lowercase hexadecimal digit, or [`NOT_HEX`]: a table, because a
/// history of thousands of rows and a sum file of thousands of lines are read on every run.
const HEX_VALUES: [u8; 256] = {
    let mut values = [NOT_HEX; 256];
    let mut digit = 0;
    while digit < 16 {
        values[HEX_DIGITS[digit] as usize] = digit as u8;
        digit += 1;
    }
    values
};

const NOT_HEX: u8 = 0xff;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector_matches_sha256sum() {
        // `printf 'select 1;\n' | sha256sum`
        assert_eq!(
            Checksum::of(b"select 1;\n").to_string(),
            "sha256:4a45092ccf992ea92250053a80b931b787924ba61648f420555511b84f10ab6c"
        );
    }

    #[test]
    fn crlf_and_bom_do_not_change_the_checksum() {
        let lf = Checksum::of(b"create table t (id int);\nselect 1;\n");
        assert_eq!(
            lf,
            Checksum::of(b"create table t (id int);\r\nselect 1;\r\n")
        );
        assert_eq!(
            lf,
            Checksum::of(b"\xEF\xBB\xBFcreate table t (id int);\nselect 1;\n")
        );
    }

    #[test]
    fn any_other_edit_changes_the_checksum() {
        let original = Checksum::of(b"select 1;\n");
        assert_ne!(original, Checksum::of(b"select 1; \n"));
        assert_ne!(original, Checksum::of(b"select 1;"));
        assert_ne!(original, Checksum::of(b"select 1;\r\r\n"));
    }

    #[test]
    fn a_lone_carriage_return_is_kept() {
        assert_eq!(normalise(b"a\rb").as_ref(), b"a\rb");
        assert_eq!(normalise(b"a\r\n\r\nb").as_ref(), b"a\n\nb");
    }

    #[test]
    fn display_round_trips_through_from_str() {
        let checksum = Checksum::of(b"anything");
        assert_eq!(checksum.to_string().parse::<Checksum>(), Ok(checksum));
    }

    #[test]
    fn malformed_values_are_rejected_with_the_reason() {
        assert!(matches!(
            "md5:abc".parse::<Checksum>(),
            Err(ChecksumParseError::UnknownAlgorithm(_))
        ));
        assert!(matches!(
            "sha256:ABC".parse::<Checksum>(),
            Err(ChecksumParseError::MalformedDigest(_))
        ));
        let upper = Checksum::of(b"x")
            .to_string()
            .to_uppercase()
            .replace("SHA256", "sha256");
        assert!(upper.parse::<Checksum>().is_err());
    }

    #[test]
    fn every_byte_value_round_trips_and_every_stray_digit_is_refused() {
        for first in (0..=255u8).step_by(32) {
            let sha256 = std::array::from_fn(|index| first + index as u8);
            let checksum = Checksum { sha256 };
            assert_eq!(checksum.to_string().parse::<Checksum>(), Ok(checksum));
        }
        let text = Checksum::of(b"x").to_string();
        for position in "sha256:".len()..text.len() {
            for stray in ['g', 'G', 'A', 'F', '/', ':', '`', '@', ' ', '\0'] {
                let mut broken = text.clone();
                broken.replace_range(position..=position, stray.encode_utf8(&mut [0; 4]));
                assert!(
                    matches!(
                        broken.parse::<Checksum>(),
                        Err(ChecksumParseError::MalformedDigest(_))
                    ),
                    "{broken:?}"
                );
            }
        }
    }
}
