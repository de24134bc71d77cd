//! Renders a diff as a SQL script a person reviews: each statement preceded by what it
//! destroys, what the reviewer must decide (`-- note:`) and what they must write before it can
//! run (`-- review:`), and split into transactions where PostgreSQL needs a commit in between.

use super::change::{Change, Hazard};
use super::script::Diff;

/// Statements that can run in one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch<'a> {
    /// The statements, in order.
    pub changes: &'a [Change],
}

impl Batch<'_> {
    /// The batch as one script.
    pub fn to_sql(&self) -> String {
        render(self.changes)
    }
}

impl Diff {
    /// The whole diff as a script: every statement ends with `;`, hazards and notes come as
    /// comments before it, and a comment marks where a commit is needed.
    pub fn to_sql(&self) -> String {
        render(&self.changes)
    }

    /// The diff split after every change that must be committed before the next runs; each
    /// batch can run in one transaction.
    pub fn batches(&self) -> Vec<Batch<'_>> {
        let mut batches = Vec::new();
        let mut start = 0;
        for (position, change) in self.changes.iter().enumerate() {
            if change.commit_after {
                batches.push(Batch {
                    changes: &self.changes[start..=position],
                });
                start = position + 1;
            }
        }
        if start < self.changes.len() {
            batches.push(Batch {
                changes: &self.changes[start..],
            });
        }
        batches
    }
}

fn render(changes: &[Change]) -> String {
    let mut sql = String::new();
    for change in changes {
        if !sql.is_empty() {
            sql.push('\n');
        }
        if let Some(Hazard::Destructive(what)) = &change.hazard {
            sql.push_str(&format!("-- destructive: {what}\n"));
        }
        for note in &change.notes {
            sql.push_str(&format!("-- note: {note}\n"));
        }
        for review in &change.reviews {
            sql.push_str(&format!("-- review: {review}\n"));
        }
        sql.push_str(&change.sql);
        sql.push_str(";\n");
        if change.commit_after {
            sql.push_str("-- commit here: what follows may use the value added above\n");
        }
    }
    sql
}
