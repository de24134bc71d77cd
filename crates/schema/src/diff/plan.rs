//! Decides, before any SQL is written, which objects are rebuilt rather than altered.
//!
//! PostgreSQL refuses to drop or retype something another object depends on, so a change can
//! force its dependents to be dropped first and created again after. The plan starts from
//! what must be rebuilt for its own sake (a view whose columns change, a function whose
//! signature does, a table whose partitioning does) and follows the source catalog's
//! dependency graph to everything that needs those objects, to a fixpoint. Every per-kind
//! module then asks the plan, so they all agree on what exists at each step.

use std::collections::BTreeSet;

use super::graph::Graph;
use super::online::Locking;
use crate::ident::QualifiedName;
use crate::model::{Catalog, FunctionId, ObjectRef, Table, TriggerId};

use super::compare::replaced_types;

/// A column, as (table, column name).
pub(crate) type ColumnRef = (QualifiedName, String);

/// What the diff rebuilds, and the questions every module asks about it.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub from: &'a Catalog,
    pub to: &'a Catalog,
    /// What needs what in `from`, to drop dependents first.
    pub from_graph: Graph<'a>,
    /// What needs what in `to`, to create dependencies first.
    pub to_graph: Graph<'a>,
    /// Types recreated under their name (the old one renamed away, columns converted).
    pub replaced_types: BTreeSet<QualifiedName>,
    /// Tables dropped and created again (partitioning or inheritance changed).
    pub rebuilt_tables: BTreeSet<QualifiedName>,
    /// Columns of kept tables that go away (dropped, or dropped and added again).
    pub dropped_columns: BTreeSet<ColumnRef>,
    /// Columns of kept tables whose type changes in place.
    pub retyped_columns: BTreeSet<ColumnRef>,
    /// Objects in both catalogs that are dropped and created again: views, functions,
    /// aggregates, constraints, indexes, policies, triggers, defaults, domain checks (filled
    /// in by the rebuild module once the rest is known).
    pub rebuilt: BTreeSet<ObjectRef>,
    /// Parts of a statement written as statements of their own, to break a cycle.
    pub detached: BTreeSet<ObjectRef>,
    /// Plain or lock-safe statements for tables that exist.
    pub locking: Locking,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(
        from: &'a Catalog,
        to: &'a Catalog,
        detached: BTreeSet<ObjectRef>,
        locking: Locking,
    ) -> Self {
        let mut plan = Plan {
            from,
            to,
            from_graph: Graph::of(from),
            to_graph: Graph::of(to),
            replaced_types: replaced_types(from, to),
            rebuilt_tables: BTreeSet::new(),
            dropped_columns: BTreeSet::new(),
            retyped_columns: BTreeSet::new(),
            rebuilt: BTreeSet::new(),
            detached,
            locking,
        };
        plan.find_rebuilt_tables();
        plan.find_changed_columns();
        plan
    }

    /// The server the diff runs on is older than `version` (`server_version_num`); a catalog
    /// that was not read from a server counts as new.
    pub(crate) fn server_before(&self, version: u32) -> bool {
        let found = self.from.server.version_num;
        found != 0 && found < version
    }

    /// Whether changes to table `name` take the lock-safe forms (see the online module).
    pub(crate) fn online(&self, name: &QualifiedName) -> bool {
        self.locking == Locking::Online
            && !self.rebuilt_tables.contains(name)
            && super::online::online_table(self.from, self.to, name)
    }

    /// Whether the object of `from` is dropped and created again.
    pub(crate) fn is_rebuilt(&self, object: &ObjectRef) -> bool {
        self.rebuilt.contains(object)
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
            !self.to.views.contains_key(name) || self.is_rebuilt(&ObjectRef::View(name.clone()))
        }
    }

    /// The table (or view) `name` of `to` is created, new or rebuilt.
    pub(crate) fn relation_comes(&self, name: &QualifiedName) -> bool {
        if self.to.tables.contains_key(name) {
            !self.from.tables.contains_key(name) || self.rebuilt_tables.contains(name)
        } else {
            !self.from.views.contains_key(name) || self.is_rebuilt(&ObjectRef::View(name.clone()))
        }
    }

    /// The column of `from` goes away with its table or by itself.
    pub(crate) fn column_goes(&self, table: &QualifiedName, column: &str) -> bool {
        self.relation_goes(table)
            || self
                .dropped_columns
                .contains(&(table.clone(), column.to_owned()))
    }

    /// The function or aggregate of `from` is dropped, by itself or to be rebuilt.
    pub(crate) fn function_goes(&self, id: &FunctionId) -> bool {
        let kept = self.to.functions.contains_key(id) || self.to.aggregates.contains_key(id);
        !kept || self.is_rebuilt(&ObjectRef::Function(id.clone()))
    }

    /// The function or aggregate of `to` is created, new or rebuilt.
    pub(crate) fn function_comes(&self, id: &FunctionId) -> bool {
        let existed = self.from.functions.contains_key(id) || self.from.aggregates.contains_key(id);
        !existed || self.is_rebuilt(&ObjectRef::Function(id.clone()))
    }

    /// The trigger of `from` goes away: dropped, rebuilt, or its relation gone.
    pub(crate) fn trigger_goes(&self, id: &TriggerId) -> bool {
        self.from.triggers.contains_key(id)
            && (self.relation_goes(&id.table)
                || !self.to.triggers.contains_key(id)
                || self.is_rebuilt(&ObjectRef::Trigger(id.clone())))
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
            // A partition's columns are its parent's: only their defaults are its own.
            if old.partition.is_some() || new.partition.is_some() {
                continue;
            }
            for (name, column) in &old.columns {
                let key = || (old.name.clone(), name.clone());
                match new.columns.get(name) {
                    None => {
                        dropped.insert(key());
                    }
                    // A new generation is added anew; so is a virtual one that changes at all
                    // (PostgreSQL 18 cannot DROP EXPRESSION of a virtual column).
                    Some(target)
                        if (target.generated.is_some() || column.generated_virtual)
                            && (target.generated != column.generated
                                || target.generated_virtual != column.generated_virtual) =>
                    {
                        dropped.insert(key());
                    }
                    Some(target)
                        if target.data_type != column.data_type
                            || target.collation != column.collation
                            || self.uses_replaced_type(&column.data_type) =>
                    {
                        retyped.insert(key());
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
        if self.replaced_types.is_empty() {
            return false;
        }
        let element = data_type.trim_end_matches("[]");
        self.replaced_types
            .iter()
            .any(|name| name.to_string() == element)
    }

    /// Whether the plan drops, retypes or rebuilds the default of any column of table
    /// `table`: when not, a column the same in both catalogs needs no statement.
    pub(crate) fn touches_columns_of(&self, table: &QualifiedName) -> bool {
        let first = (table.clone(), String::new());
        let in_set = |set: &BTreeSet<ColumnRef>| {
            set.range(&first..)
                .next()
                .is_some_and(|(name, _)| name == table)
        };
        let default = ObjectRef::Default(table.clone(), String::new());
        let rebuilt_default =
            self.rebuilt.range(&default..).next().is_some_and(
                |object| matches!(object, ObjectRef::Default(name, _) if name == table),
            );
        in_set(&self.dropped_columns) || in_set(&self.retyped_columns) || rebuilt_default
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
