//! Decides, before any SQL is written, which objects are rebuilt rather than altered.
//!
//! PostgreSQL refuses to drop or retype something another object depends on, so a change can
//! force its dependents to be dropped first and recreated after: views over a retyped or
//! dropped column, functions whose signature uses a replaced type, triggers on a replaced
//! function, foreign keys to a replaced key. Deciding this once, to a fixpoint, keeps every
//! per-kind module consistent about what exists at each step.

use std::collections::BTreeSet;

use crate::ident::QualifiedName;
use crate::model::{Catalog, ConstraintKind, FunctionId, Table, TriggerId, View};

use super::types::replaced_types;

/// A column, as (table, column name).
pub(crate) type ColumnRef = (QualifiedName, String);

/// What the diff rebuilds, and the questions every module asks about it.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub from: &'a Catalog,
    pub to: &'a Catalog,
    /// Types recreated under their name (the old one renamed away, columns converted).
    pub replaced_types: BTreeSet<QualifiedName>,
    /// Tables dropped and created again (partitioning or inheritance changed).
    pub rebuilt_tables: BTreeSet<QualifiedName>,
    /// Columns of kept tables that go away (dropped, or dropped and added again).
    pub dropped_columns: BTreeSet<ColumnRef>,
    /// Columns of kept tables whose type changes in place.
    pub retyped_columns: BTreeSet<ColumnRef>,
    /// Views dropped and created again.
    pub rebuilt_views: BTreeSet<QualifiedName>,
    /// Functions dropped and created again.
    pub rebuilt_functions: BTreeSet<FunctionId>,
    /// Constraints dropped and added again although unchanged (foreign keys to a rebuilt key).
    pub rebuilt_constraints: BTreeSet<ColumnRef>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(from: &'a Catalog, to: &'a Catalog) -> Self {
        let mut plan = Plan {
            from,
            to,
            replaced_types: replaced_types(from, to),
            rebuilt_tables: BTreeSet::new(),
            dropped_columns: BTreeSet::new(),
            retyped_columns: BTreeSet::new(),
            rebuilt_views: BTreeSet::new(),
            rebuilt_functions: BTreeSet::new(),
            rebuilt_constraints: BTreeSet::new(),
        };
        plan.find_rebuilt_tables();
        plan.find_changed_columns();
        plan.find_rebuilt_views_and_functions();
        plan.find_rebuilt_constraints();
        plan
    }

    /// Tables in both catalogs, unless rebuilt: the ones altered in place.
    pub(crate) fn kept_tables(&self) -> impl Iterator<Item = (&'a Table, &'a Table)> + '_ {
        self.from.tables.iter().filter_map(|(name, old)| {
            let new = self.to.tables.get(name)?;
            (!self.rebuilt_tables.contains(name)).then_some((old, new))
        })
    }

    /// The table (or view) `name` of `from` is dropped, by itself or to be rebuilt.
    pub(crate) fn relation_goes(&self, name: &QualifiedName) -> bool {
        if self.from.tables.contains_key(name) {
            !self.to.tables.contains_key(name) || self.rebuilt_tables.contains(name)
        } else {
            !self.to.views.contains_key(name) || self.rebuilt_views.contains(name)
        }
    }

    /// The table (or view) `name` of `to` is created, new or rebuilt.
    pub(crate) fn relation_comes(&self, name: &QualifiedName) -> bool {
        if self.to.tables.contains_key(name) {
            !self.from.tables.contains_key(name) || self.rebuilt_tables.contains(name)
        } else {
            !self.from.views.contains_key(name) || self.rebuilt_views.contains(name)
        }
    }

    /// The column of `from` goes away with its table or by itself.
    pub(crate) fn column_goes(&self, table: &QualifiedName, column: &str) -> bool {
        self.relation_goes(table)
            || self
                .dropped_columns
                .contains(&(table.clone(), column.to_owned()))
    }

    /// The function of `from` is dropped, by itself or to be rebuilt.
    pub(crate) fn function_goes(&self, id: &FunctionId) -> bool {
        !self.to.functions.contains_key(id) || self.rebuilt_functions.contains(id)
    }

    /// The function of `to` is created, new or rebuilt.
    pub(crate) fn function_comes(&self, id: &FunctionId) -> bool {
        !self.from.functions.contains_key(id) || self.rebuilt_functions.contains(id)
    }

    /// The trigger of `from` goes away: dropped, changed (and created again: `CREATE OR
    /// REPLACE TRIGGER` is PostgreSQL 14's, and never covered constraint triggers), its
    /// function rebuilt, or its relation gone.
    pub(crate) fn trigger_goes(&self, id: &TriggerId) -> bool {
        let Some(old) = self.from.triggers.get(id) else {
            return false;
        };
        self.relation_goes(&id.table)
            || self.function_goes(&old.function)
            || self
                .to
                .triggers
                .get(id)
                .is_none_or(|new| new.definition != old.definition)
    }

    fn find_rebuilt_tables(&mut self) {
        for (name, old) in &self.from.tables {
            let Some(new) = self.to.tables.get(name) else {
                continue;
            };
            // Changing inheritance in place would leave inherited columns marked local.
            if old.partition_key != new.partition_key || old.inherits != new.inherits {
                self.rebuilt_tables.insert(name.clone());
            }
        }
        // Dropping a parent takes its partitions (and is refused with inheritance children).
        loop {
            let children: Vec<QualifiedName> = self
                .from
                .tables
                .values()
                .filter(|table| self.to.tables.contains_key(&table.name))
                .filter(|table| !self.rebuilt_tables.contains(&table.name))
                .filter(|table| parents(table).any(|p| self.rebuilt_tables.contains(p)))
                .map(|table| table.name.clone())
                .collect();
            if children.is_empty() {
                break;
            }
            self.rebuilt_tables.extend(children);
        }
    }

    fn find_changed_columns(&mut self) {
        let mut dropped = BTreeSet::new();
        let mut retyped = BTreeSet::new();
        for (old, new) in self.kept_tables() {
            if old.partition.is_some() || new.partition.is_some() {
                continue;
            }
            for (name, column) in &old.columns {
                let key = (old.name.clone(), name.clone());
                match new.columns.get(name) {
                    None => {
                        dropped.insert(key);
                    }
                    // A new generation is added anew; so is a virtual one that changes at all
                    // (PostgreSQL 18 cannot DROP EXPRESSION of a virtual column).
                    Some(target)
                        if (target.generated.is_some() || column.generated_virtual)
                            && (target.generated != column.generated
                                || target.generated_virtual != column.generated_virtual) =>
                    {
                        dropped.insert(key);
                    }
                    Some(target)
                        if target.data_type != column.data_type
                            || target.collation != column.collation
                            || self.uses_replaced_type(&column.data_type) =>
                    {
                        retyped.insert(key);
                    }
                    Some(_) => {}
                }
            }
        }
        self.dropped_columns = dropped;
        self.retyped_columns = retyped;
    }

    /// Whether `data_type` (or its element type) is a type this diff replaces.
    pub(crate) fn uses_replaced_type(&self, data_type: &str) -> bool {
        let element = data_type.trim_end_matches("[]");
        self.replaced_types
            .iter()
            .any(|name| name.to_string() == element)
    }

    fn find_rebuilt_views_and_functions(&mut self) {
        loop {
            let views: Vec<QualifiedName> = self
                .from
                .views
                .values()
                .filter(|view| self.to.views.contains_key(&view.name))
                .filter(|view| !self.rebuilt_views.contains(&view.name))
                .filter(|view| self.view_must_be_rebuilt(view))
                .map(|view| view.name.clone())
                .collect();
            let functions: Vec<FunctionId> = self
                .from
                .functions
                .keys()
                .filter(|id| self.to.functions.contains_key(id))
                .filter(|id| !self.rebuilt_functions.contains(id))
                .filter(|id| self.function_must_be_rebuilt(id))
                .cloned()
                .collect();
            if views.is_empty() && functions.is_empty() {
                break;
            }
            self.rebuilt_views.extend(views);
            self.rebuilt_functions.extend(functions);
        }
    }

    fn view_must_be_rebuilt(&self, old: &View) -> bool {
        let new = &self.to.views[&old.name];
        let changed =
            !super::views::same_definition(old, new) && !super::views::replaceable(old, new);
        let deps = &old.dependencies;
        changed
            || deps.relations.iter().any(|r| self.relation_goes(r))
            || deps
                .columns
                .iter()
                .any(|c| self.dropped_columns.contains(c) || self.retyped_columns.contains(c))
            || deps.functions.iter().any(|f| self.function_goes(f))
            || deps.types.iter().any(|t| self.replaced_types.contains(t))
    }

    fn function_must_be_rebuilt(&self, id: &FunctionId) -> bool {
        let old = &self.from.functions[id];
        let new = &self.to.functions[id];
        let deps = &old.dependencies;
        old.kind != new.kind
            || old.arguments != new.arguments
            || old.result != new.result
            || deps.types.iter().any(|t| self.replaced_types.contains(t))
            || deps.relations.iter().any(|r| self.relation_goes(r))
    }

    /// Foreign keys into a table whose keys are dropped or replaced must go first.
    fn find_rebuilt_constraints(&mut self) {
        let mut rebuilt = BTreeSet::new();
        for (old, new) in self.kept_tables() {
            for (name, constraint) in &old.constraints {
                let Some(target) = &constraint.references else {
                    continue;
                };
                let unchanged = new
                    .constraints
                    .get(name)
                    .is_some_and(|c| c.definition == constraint.definition);
                if unchanged && (self.relation_goes(target) || self.keys_change(target)) {
                    rebuilt.insert((old.name.clone(), name.clone()));
                }
            }
        }
        self.rebuilt_constraints = rebuilt;
    }

    pub(crate) fn keys_change(&self, table: &QualifiedName) -> bool {
        let (Some(old), Some(new)) = (self.from.tables.get(table), self.to.tables.get(table))
        else {
            return false;
        };
        old.constraints.values().any(|c| {
            matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                && new
                    .constraints
                    .get(&c.name)
                    .is_none_or(|n| n.definition != c.definition)
        })
    }
}

/// A table's parents: its partitioned table and its inheritance parents.
pub(crate) fn parents(table: &Table) -> impl Iterator<Item = &QualifiedName> {
    table
        .partition
        .iter()
        .map(|partition| &partition.parent)
        .chain(&table.inherits)
}
