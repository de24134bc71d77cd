//! One statement of a diff, and what the orderer needs to know about it: the objects it makes
//! exist (new, or in their new version), the objects it makes disappear, and the objects it
//! only needs. The per-kind modules fill these in; the orderer turns them into edges.

use crate::ident::QualifiedName;
use crate::model::ObjectRef;

/// What a change does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `CREATE …`.
    Create,
    /// `ALTER …`, `CREATE OR REPLACE …`, `VALIDATE`, `GRANT`, `REVOKE`.
    Alter,
    /// `DROP …`.
    Drop,
    /// `COMMENT ON …`.
    Comment,
    /// A session setting the rest of the script needs.
    Setting,
}

/// Why a change deserves a second look before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hazard {
    /// The statement destroys data; the text says which.
    Destructive(String),
}

/// The preferred order among statements the dependency graph leaves free: drops of
/// dependents first, then creates and alters from the outermost containers inward, then
/// privileges and comments, then drops of the things dependents used. The graph overrides it
/// wherever an object needs another one first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Settings,
    DropTriggers,
    DropPolicies,
    DropViewsAndFunctions,
    DropForeignKeys,
    UndistributeTables,
    DropConstraints,
    DropIndexes,
    ReleaseSequences,
    DropIdentities,
    DropTables,
    CreateSchemas,
    CreateExtensions,
    CreateTypes,
    CreateSequences,
    CreateFunctions,
    CreateTables,
    AlterTables,
    AddConstraints,
    DistributeTables,
    AddForeignKeys,
    CreateIndexes,
    OwnSequences,
    CreateViewsAndFunctions,
    CreateViewIndexes,
    CreateTriggers,
    CreatePolicies,
    Owners,
    Privileges,
    Comments,
    DropFunctions,
    DropSequences,
    DropTypes,
    DropExtensions,
    DropSchemas,
}

/// What the orderer knows of an object: the object itself, or a name it occupies. Tables,
/// views, sequences, indexes and composite types share one namespace per schema, and every
/// relation also has a row type of its name: two objects of different kinds can clash, so a
/// drop frees the name before a create takes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Node {
    Object(ObjectRef),
    RelationName(QualifiedName),
    TypeName(QualifiedName),
    /// A sequence's `OWNED BY`, which exists only once the owning column does.
    SequenceOwner(QualifiedName),
    /// The old version of an object, renamed out of the way until what uses it lets go: its
    /// drop waits for those, but frees nothing a create would wait for.
    Parked(ObjectRef),
    /// Citus places the table (distributes it, or makes it a reference table): a foreign key
    /// between Citus tables waits for both to be placed.
    CitusPlaced(QualifiedName),
    /// A foreign key of the table, or to it, is dropped: Citus undistributes a table only
    /// once no foreign key ties it to other Citus tables.
    ForeignKeyDropped(QualifiedName),
}

/// The nodes a change provides, removes and requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Nodes {
    pub provides: Vec<Node>,
    pub removes: Vec<Node>,
    pub requires: Vec<Node>,
    /// Provided or removed nodes that can move to a statement of their own when they close a
    /// cycle (a default calling a function that needs the table, a foreign key between two
    /// dropped tables).
    pub detachable: Vec<ObjectRef>,
}

/// One statement of a diff, with what a reviewer must know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The statement, without the final `;`.
    pub sql: String,
    /// Create, alter, drop, comment or session setting.
    pub kind: ChangeKind,
    /// The object it changes, as a reader would name it: `table public.episodes`.
    pub object: String,
    /// Set when the statement loses data.
    pub hazard: Option<Hazard>,
    /// What the diff cannot know and the reviewer must decide (renames, backfills, casts).
    pub notes: Vec<String>,
    /// What the reviewer must write before the statement can run: it holds a placeholder
    /// that fails until edited.
    pub reviews: Vec<String>,
    /// The statement must be committed before later ones run (`ALTER TYPE … ADD VALUE`: a new
    /// enum value cannot be used in the transaction that added it).
    pub commit_after: bool,
    pub(crate) phase: Phase,
    pub(crate) nodes: Nodes,
}

impl Change {
    /// Marks the change as destroying data.
    pub(crate) fn destructive(&mut self, what: impl Into<String>) -> &mut Self {
        self.hazard = Some(Hazard::Destructive(what.into()));
        self
    }

    /// Adds a note for the reviewer.
    pub(crate) fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }

    /// Adds something the reviewer must write.
    pub(crate) fn review(&mut self, review: impl Into<String>) -> &mut Self {
        self.reviews.push(review.into());
        self
    }

    /// The statement makes `object` exist (or exist in its new version).
    pub(crate) fn provides(&mut self, object: ObjectRef) -> &mut Self {
        self.nodes.provides.push(Node::Object(object));
        self
    }

    /// The statement makes `object` (as it was) disappear.
    pub(crate) fn removes(&mut self, object: ObjectRef) -> &mut Self {
        self.nodes.removes.push(Node::Object(object));
        self
    }

    /// The statement replaces `object`: the old version goes, the new one comes.
    pub(crate) fn replaces(&mut self, object: ObjectRef) -> &mut Self {
        self.nodes.removes.push(Node::Object(object.clone()));
        self.nodes.provides.push(Node::Object(object));
        self
    }

    /// The statement needs `object` to exist in its new version.
    pub(crate) fn requires(&mut self, object: ObjectRef) -> &mut Self {
        self.nodes.requires.push(Node::Object(object));
        self
    }

    /// The statement provides a node other than an object.
    pub(crate) fn provides_node(&mut self, node: Node) -> &mut Self {
        self.nodes.provides.push(node);
        self
    }

    /// The statement needs a node other than an object.
    pub(crate) fn requires_node(&mut self, node: Node) -> &mut Self {
        self.nodes.requires.push(node);
        self
    }

    /// The statement removes a node other than an object.
    pub(crate) fn removes_node(&mut self, node: Node) -> &mut Self {
        self.nodes.removes.push(node);
        self
    }

    /// The statement's `object` may move to a statement of its own to break a cycle.
    pub(crate) fn detachable(&mut self, object: ObjectRef) -> &mut Self {
        self.nodes.detachable.push(object);
        self
    }

    /// The statement creates relation `name` (its row type and name too).
    pub(crate) fn creates_relation(
        &mut self,
        object: ObjectRef,
        name: &QualifiedName,
    ) -> &mut Self {
        self.nodes.provides.push(Node::RelationName(name.clone()));
        self.nodes.provides.push(Node::TypeName(name.clone()));
        self.provides(object)
    }

    /// The statement drops relation `name`, freeing its name and row type.
    pub(crate) fn drops_relation(&mut self, object: ObjectRef, name: &QualifiedName) -> &mut Self {
        self.nodes.removes.push(Node::RelationName(name.clone()));
        self.nodes.removes.push(Node::TypeName(name.clone()));
        self.removes(object)
    }
}

/// Collects changes as the per-kind modules find them.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub(crate) list: Vec<Change>,
}

impl Changes {
    /// Adds a statement; the returned reference takes nodes, hazards and notes.
    pub(crate) fn push(
        &mut self,
        phase: Phase,
        kind: ChangeKind,
        object: impl Into<String>,
        sql: impl Into<String>,
    ) -> &mut Change {
        self.list.push(Change {
            sql: sql.into(),
            kind,
            object: object.into(),
            hazard: None,
            notes: Vec::new(),
            reviews: Vec::new(),
            commit_after: false,
            phase,
            nodes: Nodes::default(),
        });
        self.list.last_mut().expect("a change was pushed")
    }
}
