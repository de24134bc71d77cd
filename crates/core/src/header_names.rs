//! A revision's id, parents and message, kept in one allocation.
//!
//! Every revision holds them for the whole run. As a string, a list of strings and an
//! optional string they cost a revision with one parent four allocations and 64 bytes beside
//! them; a directory of thousands of revisions feels that in its peak memory.

use std::fmt;
use std::iter::FusedIterator;

/// `id`, its parents and its message, in one string.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct HeaderNames {
    /// The id, then ` parent` for each parent, then the message.
    text: Box<str>,
    id_end: u32,
    parents_end: u32,
    parent_count: u32,
}

impl HeaderNames {
    /// Ids are checked before this: none is empty or holds a space. A message is never
    /// empty either (the header reads `-- message:` with nothing after it as none).
    pub fn new(id: &str, parents: &[String], message: Option<&str>) -> HeaderNames {
        let message = message.unwrap_or_default();
        let parents_len: usize = parents.iter().map(|parent| parent.len() + 1).sum();
        let mut text = String::with_capacity(id.len() + parents_len + message.len());
        text.push_str(id);
        let id_end = offset(text.len());
        for parent in parents {
            text.push(' ');
            text.push_str(parent);
        }
        let parents_end = offset(text.len());
        text.push_str(message);
        HeaderNames {
            text: text.into_boxed_str(),
            id_end,
            parents_end,
            parent_count: offset(parents.len()),
        }
    }

    pub fn id(&self) -> &str {
        &self.text[..self.id_end as usize]
    }

    pub fn parents(&self) -> Parents<'_> {
        Parents {
            rest: &self.text[self.id_end as usize..self.parents_end as usize],
            remaining: self.parent_count as usize,
        }
    }

    pub fn message(&self) -> Option<&str> {
        Some(&self.text[self.parents_end as usize..]).filter(|message| !message.is_empty())
    }
}

/// Header text lengths are bounded by the file, which is far below 4 GiB.
fn offset(length: usize) -> u32 {
    u32::try_from(length).unwrap_or(u32::MAX)
}

impl fmt::Debug for HeaderNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderNames")
            .field("id", &self.id())
            .field("parents", &self.parents())
            .field("message", &self.message())
            .finish()
    }
}

/// A revision's parents, in the order its header names them.
#[derive(Clone)]
pub struct Parents<'a> {
    /// ` parent` for each parent not yet given.
    rest: &'a str,
    remaining: usize,
}

impl<'a> Iterator for Parents<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest.strip_prefix(' ')?;
        let (parent, after) = rest.split_at(rest.find(' ').unwrap_or(rest.len()));
        self.rest = after;
        self.remaining -= 1;
        Some(parent)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Parents<'_> {}

impl FusedIterator for Parents<'_> {}

impl fmt::Debug for Parents<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(id: &str, parents: &[&str], message: Option<&str>) -> HeaderNames {
        let parents: Vec<String> = parents.iter().map(|parent| (*parent).to_owned()).collect();
        HeaderNames::new(id, &parents, message)
    }

    #[test]
    fn id_parents_and_message_come_back_as_given() {
        let cases: [(&str, &[&str], Option<&str>); 4] = [
            ("a1", &[], None),
            ("b2", &["a1"], Some("add a column: with a colon")),
            ("m3", &["b2", "c_2", "d"], Some("merge")),
            ("x", &["y"], None),
        ];
        for (id, parents, message) in cases {
            let kept = names(id, parents, message);
            assert_eq!(kept.id(), id);
            assert_eq!(kept.parents().len(), parents.len());
            assert_eq!(kept.parents().collect::<Vec<_>>(), parents);
            assert_eq!(kept.message(), message);
            assert_eq!(format!("{:?}", kept.parents()), format!("{parents:?}"));
        }
    }
}
