//! Functions and procedures, and user-defined aggregates.

use tokio_postgres::Row;

use super::rows::SystemCatalog;
use super::rows::{
    LoadError, Reader, comment_join, function_identity, get, name_at, not_extension_member,
    unknown, user_schema,
};
use crate::ident::quote_literal;
use crate::model::{
    Aggregate, Catalog, Dependencies, Function, FunctionId, FunctionKind, ObjectRef, Privileges,
};

// Window functions are left out: only C can write them, and pg_get_functiondef cannot.
pub(super) const FUNCTIONS: &str = concat!(
    "SELECT p.oid, n.nspname::text AS schema, p.proname::text AS name, ",
    function_identity!("p"),
    " AS identity, p.prokind::text AS kind, ",
    "pg_get_function_arguments(p.oid) AS arguments, pg_get_function_result(p.oid) AS result, ",
    "pg_get_functiondef(p.oid) AS definition, pg_get_userbyid(p.proowner)::text AS owner, ",
    "dsc.description AS comment ",
    "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace",
    comment_join!("pg_proc", "p.oid"),
    "WHERE p.prokind IN ('f', 'p') AND ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_proc", "p.oid")
);

pub(super) fn load_functions(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let id = FunctionId {
            name: name_at(row, "schema", "name")?,
            arguments: get(row, "identity")?,
        };
        let code: String = get(row, "kind")?;
        let kind = match code.as_str() {
            "f" => FunctionKind::Function,
            "p" => FunctionKind::Procedure,
            other => return unknown("pg_proc.prokind", other),
        };
        let definition: String = get(row, "definition")?;
        let function = Function {
            id: id.clone(),
            kind,
            arguments: get(row, "arguments")?,
            result: get(row, "result")?,
            definition: definition.trim_end().to_owned(),
            dependencies: Dependencies::default(),
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Function(id.clone());
        reader.found_at(row, SystemCatalog::Proc, &["oid"], &object)?;
        catalog.functions.insert(id, function);
    }
    Ok(())
}

// Support functions as regproc print qualified unless pg_catalog's (the search_path is
// empty); CREATE AGGREGATE finds the right overload from the state and argument types.
pub(super) const AGGREGATES: &str = concat!(
    "SELECT p.oid, n.nspname::text AS schema, p.proname::text AS name, ",
    function_identity!("p"),
    " AS identity, ",
    "pg_get_function_arguments(p.oid) AS arguments, a.aggkind::text AS kind, ",
    "a.aggtransfn::regproc::text AS sfunc, format_type(a.aggtranstype, NULL) AS stype, ",
    "a.aggtransspace AS sspace, NULLIF(a.aggfinalfn::regproc::text, '-') AS finalfunc, ",
    "a.aggfinalextra AS finalfunc_extra, a.aggfinalmodify::text AS finalfunc_modify, ",
    "NULLIF(a.aggcombinefn::regproc::text, '-') AS combinefunc, ",
    "NULLIF(a.aggserialfn::regproc::text, '-') AS serialfunc, ",
    "NULLIF(a.aggdeserialfn::regproc::text, '-') AS deserialfunc, a.agginitval AS initcond, ",
    "NULLIF(a.aggmtransfn::regproc::text, '-') AS msfunc, ",
    "NULLIF(a.aggminvtransfn::regproc::text, '-') AS minvfunc, ",
    "CASE WHEN a.aggmtransfn::oid <> 0 THEN format_type(a.aggmtranstype, NULL) END AS mstype, ",
    "a.aggmtransspace AS msspace, NULLIF(a.aggmfinalfn::regproc::text, '-') AS mfinalfunc, ",
    "a.aggmfinalextra AS mfinalfunc_extra, a.aggmfinalmodify::text AS mfinalfunc_modify, ",
    "a.aggminitval AS minitcond, ",
    "(SELECT 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')' FROM pg_operator o ",
    "JOIN pg_namespace opn ON opn.oid = o.oprnamespace WHERE o.oid = a.aggsortop) AS sortop, ",
    "p.proparallel::text AS parallel, pg_get_userbyid(p.proowner)::text AS owner, ",
    "dsc.description AS comment ",
    "FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid ",
    "JOIN pg_namespace n ON n.oid = p.pronamespace",
    comment_join!("pg_proc", "p.oid"),
    "WHERE ",
    user_schema!("n"),
    " AND ",
    not_extension_member!("pg_proc", "p.oid")
);

pub(super) fn load_aggregates(
    rows: &[Row],
    catalog: &mut Catalog,
    reader: &mut Reader,
) -> Result<(), LoadError> {
    for row in rows {
        let id = FunctionId {
            name: name_at(row, "schema", "name")?,
            arguments: get(row, "identity")?,
        };
        let aggregate = Aggregate {
            definition: aggregate_sql(&id, row)?,
            id: id.clone(),
            owner: reader.role(row, "owner")?,
            privileges: Privileges::default(),
            comment: get(row, "comment")?,
        };
        let object = ObjectRef::Function(id.clone());
        reader.found_at(row, SystemCatalog::Proc, &["oid"], &object)?;
        catalog.aggregates.insert(id, aggregate);
    }
    Ok(())
}

/// Plain aggregates and ordered-set ones differ in their final function's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AggregateKind {
    Normal,
    OrderedSet,
}

/// `CREATE AGGREGATE name (arguments) (option = value, …)`, options in the order the
/// documentation lists them, each written only when it is not the default.
fn aggregate_sql(id: &FunctionId, row: &Row) -> Result<String, LoadError> {
    let kind: String = get(row, "kind")?;
    let ordered = match kind.as_str() {
        "n" => AggregateKind::Normal,
        "o" | "h" => AggregateKind::OrderedSet,
        other => return unknown("pg_aggregate.aggkind", other),
    };
    let mut options = vec![
        format!("SFUNC = {}", get::<String>(row, "sfunc")?),
        format!("STYPE = {}", get::<String>(row, "stype")?),
    ];
    push_space(&mut options, "SSPACE", get(row, "sspace")?);
    push_final(&mut options, row, "", ordered)?;
    for (key, column) in [
        ("COMBINEFUNC", "combinefunc"),
        ("SERIALFUNC", "serialfunc"),
        ("DESERIALFUNC", "deserialfunc"),
    ] {
        if let Some(function) = get::<Option<String>>(row, column)? {
            options.push(format!("{key} = {function}"));
        }
    }
    if let Some(initial) = get::<Option<String>>(row, "initcond")? {
        options.push(format!("INITCOND = {}", quote_literal(&initial)));
    }
    moving_options(&mut options, row, ordered)?;
    if let Some(operator) = get::<Option<String>>(row, "sortop")? {
        options.push(format!("SORTOP = {operator}"));
    }
    let parallel: String = get(row, "parallel")?;
    match parallel.as_str() {
        "s" => options.push("PARALLEL = SAFE".to_owned()),
        "r" => options.push("PARALLEL = RESTRICTED".to_owned()),
        "u" => {}
        other => return unknown("pg_proc.proparallel", other),
    }
    if kind == "h" {
        options.push("HYPOTHETICAL".to_owned());
    }
    let arguments: String = get(row, "arguments")?;
    let arguments = if arguments.is_empty() {
        "*".to_owned()
    } else {
        arguments
    };
    Ok(format!(
        "CREATE AGGREGATE {}({arguments}) (\n    {}\n)",
        id.name,
        options.join(",\n    ")
    ))
}

/// The moving-aggregate options (`MSFUNC` and the rest), when it has them.
fn moving_options(
    options: &mut Vec<String>,
    row: &Row,
    ordered: AggregateKind,
) -> Result<(), LoadError> {
    let Some(msfunc) = get::<Option<String>>(row, "msfunc")? else {
        return Ok(());
    };
    options.push(format!("MSFUNC = {msfunc}"));
    if let Some(minvfunc) = get::<Option<String>>(row, "minvfunc")? {
        options.push(format!("MINVFUNC = {minvfunc}"));
    }
    if let Some(mstype) = get::<Option<String>>(row, "mstype")? {
        options.push(format!("MSTYPE = {mstype}"));
    }
    push_space(options, "MSSPACE", get(row, "msspace")?);
    push_final(options, row, "m", ordered)?;
    if let Some(initial) = get::<Option<String>>(row, "minitcond")? {
        options.push(format!("MINITCOND = {}", quote_literal(&initial)));
    }
    Ok(())
}

fn push_space(options: &mut Vec<String>, key: &str, space: i32) {
    if space != 0 {
        options.push(format!("{key} = {space}"));
    }
}

/// `[M]FINALFUNC`, `[M]FINALFUNC_EXTRA` and `[M]FINALFUNC_MODIFY` (read-only by default, but
/// read-write for ordered-set aggregates).
fn push_final(
    options: &mut Vec<String>,
    row: &Row,
    prefix: &str,
    ordered: AggregateKind,
) -> Result<(), LoadError> {
    let key = prefix.to_ascii_uppercase();
    let Some(function) = get::<Option<String>>(row, &format!("{prefix}finalfunc"))? else {
        return Ok(());
    };
    options.push(format!("{key}FINALFUNC = {function}"));
    if get::<bool>(row, &format!("{prefix}finalfunc_extra"))? {
        options.push(format!("{key}FINALFUNC_EXTRA"));
    }
    let modify: String = get(row, &format!("{prefix}finalfunc_modify"))?;
    let word = match modify.as_str() {
        "r" => "READ_ONLY",
        "s" => "SHAREABLE",
        "w" => "READ_WRITE",
        other => return unknown("pg_aggregate.aggfinalmodify", other),
    };
    let default = match ordered {
        AggregateKind::Normal => "READ_ONLY",
        AggregateKind::OrderedSet => "READ_WRITE",
    };
    if word != default {
        options.push(format!("{key}FINALFUNC_MODIFY = {word}"));
    }
    Ok(())
}
