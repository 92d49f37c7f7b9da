//! The checks, one per class of bug the change review of 2026-11-29 found (domain reference §7).
//! Each finds its pattern in one parsed template and says, with its source, what to write
//! instead. None can be switched off for a line: a runbook that needs the pattern is wrong.

use tree_sitter::Node;

use super::cmdlets;
use super::syntax::{Command, Element, Script, param_name, variable_name, walk};

/// One finding: where (byte offset in the rendered template), and the message.
pub(super) struct Finding {
    /// Byte offset in the rendered text.
    pub at: usize,
    /// `rule-name: ...`.
    pub message: String,
}

/// What the checks know about the template besides its text.
pub(super) struct Context<'a> {
    /// For the `command` of a step with `confirm:`, the step's id.
    pub typed_confirmation: Option<&'a str>,
}

/// Every finding in `script`.
pub(super) fn check(script: &Script<'_>, cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let commands = script.commands();
    for c in &commands {
        exchange_error_handling(script, c, &mut out);
        nslookup(c, &mut out);
        literal_path(script, c, &mut out);
        confirm(script, c, cx, &mut out);
        security_log(script, c, &mut out);
    }
    for m in script.all("member_access") {
        ad_attribute(script, m, &mut out);
        strictmode_count(script, m, &mut out);
    }
    for kind in ["comparison_expression", "comparison_argument_expression"] {
        for e in script.all(kind) {
            rule_compare(script, e, &mut out);
        }
    }
    out.sort_by_key(|f| f.at);
    out
}

/// The one expression inside a wrapper (`( )`, `@( )`, `$( )`, a single-child expression, a
/// cast), if `node` is one.
fn wrapped(node: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = node.walk();
    let named: Vec<Node<'_>> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment" && c.kind() != "type_literal")
        .collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn push(out: &mut Vec<Finding>, node: Node<'_>, message: String) {
    out.push(Finding {
        at: node.start_byte(),
        message,
    });
}

// --- 1. ad-attribute-strictmode ------------------------------------------------------------

/// Attributes every AD object returned by the `ActiveDirectory` module has (and the members that
/// test for the others).
const ALWAYS_PRESENT: &[&str] = &[
    "distinguishedname",
    "name",
    "objectclass",
    "objectguid",
    "psobject",
    "propertynames",
    "count",
    "length",
];

/// How deep the checks follow variables through assignments.
const DEPTH: usize = 8;

/// `.attr` read from a `Get-AD* -Properties` result (B1, §7.1).
fn ad_attribute(script: &Script<'_>, m: Node<'_>, out: &mut Vec<Finding>) {
    if is_static_or_written(script, m) {
        return;
    }
    let (Some(object), Some(member)) = (m.named_child(0), m.named_child(1)) else {
        return;
    };
    let attr = script.src(member).trim();
    if ALWAYS_PRESENT.iter().any(|a| a.eq_ignore_ascii_case(attr)) {
        return;
    }
    let Some(source) = ad_source(script, object, DEPTH) else {
        return;
    };
    if guarded(script, m, attr) {
        return;
    }
    push(
        out,
        member,
        format!(
            "`ad-attribute-strictmode`: `.{attr}` is read from a `{source} -Properties` result: the \
             ActiveDirectory module leaves out every attribute without a value, and under \
             `Set-StrictMode -Version Latest` (the exported script) reading one throws; pipe the \
             result through `Select-Object DistinguishedName,...,{attr}` or test \
             `.PSObject.Properties['{attr}']` first (review B1; domain reference §7.1; TechNet Wiki \
             12031 \"Active Directory PowerShell: AD module properties\")"
        ),
    );
}

/// `$a::b` (static) or `$a.b = ...` (a write).
fn is_static_or_written(script: &Script<'_>, m: Node<'_>) -> bool {
    let mut cursor = m.walk();
    let is_static = m.children(&mut cursor).any(|c| script.src(c) == "::");
    is_static
        || script
            .parent(m)
            .is_some_and(|p| p.kind() == "left_assignment_expression")
}

/// The `Get-AD*` cmdlet whose raw `-Properties` result `node` evaluates to, if any.
fn ad_source(script: &Script<'_>, node: Node<'_>, depth: usize) -> Option<String> {
    if depth == 0 {
        return None;
    }
    match node.kind() {
        "variable" => {
            let name = variable_name(script.src(node))?;
            if name == "_" || name == "psitem" {
                return piped_ad_source(script, node, depth);
            }
            if let Some(value) = script.value_of(&name, node.start_byte()) {
                return ad_source(script, value, depth - 1);
            }
            // `foreach ($x in <AD result>)`
            let each = script.ancestors(node).find(|a| {
                a.kind() == "foreach_statement"
                    && a.named_child(0)
                        .and_then(|v| variable_name(script.src(v)))
                        .is_some_and(|v| v == name)
            })?;
            let list = each
                .named_children(&mut each.walk())
                .find(|c| c.kind() == "pipeline")?;
            ad_source(script, list, depth - 1)
        }
        "pipeline" | "pipeline_chain" => {
            let chain = if node.kind() == "pipeline" {
                let mut cursor = node.walk();
                let chains: Vec<Node<'_>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "pipeline_chain" || c.kind() == "assignment_expression")
                    .collect();
                match chains.as_slice() {
                    [one] if one.kind() == "pipeline_chain" => *one,
                    _ => return None,
                }
            } else {
                node
            };
            let (head, commands) = script.pipeline_of(chain);
            chain_ad_source(script, head, &commands, commands.len(), depth)
        }
        "command" => {
            let c = script.command(node)?;
            chain_ad_source(script, None, std::slice::from_ref(&c), 1, depth)
        }
        "element_access" => ad_source(script, node.named_child(0)?, depth),
        // Wrappers do not count against the depth: only variables do.
        _ => ad_source(script, wrapped(node)?, depth),
    }
}

/// The AD source flowing out of `commands[..upto]` (after `head`), if no `Select-Object`
/// with properties or other reshaping command is in between.
fn chain_ad_source(
    script: &Script<'_>,
    head: Option<Node<'_>>,
    commands: &[Command<'_>],
    upto: usize,
    depth: usize,
) -> Option<String> {
    let mut source = match head {
        Some(h) => ad_source(script, h, depth - 1),
        None => None,
    };
    for c in commands.iter().take(upto) {
        let lower = c.name.to_ascii_lowercase();
        if lower.starts_with("get-ad") && c.param(script, &["Properties", "Property"]).is_some() {
            source = Some(c.name.clone());
        } else if lower.starts_with("get-ad") {
            source = None;
        } else if ["where-object", "where", "?", "sort-object", "sort"].contains(&lower.as_str())
            || (lower == "select-object" && !selects_properties(script, c))
        {
            // Filters and `Select-Object -First n` pass the same objects on.
        } else {
            source = None;
        }
    }
    source
}

/// Whether `Select-Object` builds new objects (a property list), which have every listed
/// property (`$null` when the attribute is missing), or passes on property values
/// (`-ExpandProperty`) instead of the AD objects.
fn selects_properties(script: &Script<'_>, c: &Command<'_>) -> bool {
    c.param(script, &["Property", "ExpandProperty"]).is_some() || !c.positional(script).is_empty()
}

/// For `$_` inside a script block given to a command of a pipeline: the AD source flowing
/// into that command.
fn piped_ad_source(script: &Script<'_>, var: Node<'_>, depth: usize) -> Option<String> {
    let block = script
        .ancestors(var)
        .find(|a| a.kind() == "script_block_expression")?;
    let command = script.ancestors(block).find(|a| a.kind() == "command")?;
    let chain = script
        .parent(command)
        .filter(|p| p.kind() == "pipeline_chain")?;
    let (head, commands) = script.pipeline_of(chain);
    let index = commands.iter().position(|c| c.node.id() == command.id())?;
    chain_ad_source(script, head, &commands, index, depth)
}

/// Whether the read of `attr` at `m` sits under a test for the attribute's presence:
/// `if ($o.PSObject.Properties['attr']) { ... }`, `$o.PropertyNames -contains 'attr' -and ...`.
fn guarded(script: &Script<'_>, m: Node<'_>, attr: &str) -> bool {
    let attr = attr.to_ascii_lowercase();
    let tests = |text: &str| {
        let t = text.to_ascii_lowercase().replace('"', "'").replace(' ', "");
        t.contains(&format!("psobject.properties['{attr}']"))
            || t.contains(&format!("propertynames-contains'{attr}'"))
            || t.contains(&format!("properties.name-contains'{attr}'"))
            || t.contains(&format!("psobject.properties.match('{attr}')"))
    };
    for a in script.ancestors(m).skip(1) {
        match a.kind() {
            "if_statement" | "elseif_clause" | "while_statement" => {
                let condition = a.child_by_field_name("condition");
                let in_body = a
                    .named_children(&mut a.walk())
                    .find(|c| c.kind() == "statement_block")
                    .is_some_and(|b| b.byte_range().contains(&m.start_byte()));
                if in_body && condition.is_some_and(|c| tests(script.src(c))) {
                    return true;
                }
            }
            "logical_expression" | "logical_argument_expression" => {
                let before = script
                    .text
                    .get(a.start_byte()..m.start_byte())
                    .unwrap_or("");
                if tests(before) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

// --- 2. exchange-try-catch, exchange-erroraction-stop -----------------------------------------

fn exchange_error_handling(script: &Script<'_>, c: &Command<'_>, out: &mut Vec<Finding>) {
    if !cmdlets::is_exchange(&c.name) {
        return;
    }
    let name = &c.name;
    let stop = c
        .param(script, &["ErrorAction", "EA"])
        .and_then(|(p, v)| Some((p, v?)))
        .filter(|(_, v)| {
            script
                .src(*v)
                .trim_matches(['\'', '"', ' '])
                .eq_ignore_ascii_case("stop")
        });
    if let Some((p, _)) = stop {
        push(
            out,
            p,
            format!(
                "`exchange-erroraction-stop`: `-ErrorAction Stop` on the Exchange cmdlet \
                     `{name}` does not make its errors terminating: in the Exchange Management Shell \
                     it is an implicit-remoting proxy, the parameter is applied remotely and the \
                     error arrives as non-terminating (fatal only when pasted at the prompt); use \
                     `-ErrorVariable name` and test `$name` and what came back (review M1; domain \
                     reference §7.2; MicrosoftDocs/office-docs-powershell#4970, \
                     MicrosoftDocs/PowerShell-Docs#1583)"
            ),
        );
    }
    let quiet = c
        .param(script, &["ErrorAction", "EA"])
        .and_then(|(p, v)| Some((p, v?)))
        .filter(|(_, v)| {
            let v = script.src(*v).trim_matches(['\'', '"', ' ']);
            v.eq_ignore_ascii_case("silentlycontinue") || v.eq_ignore_ascii_case("ignore")
        });
    let read_later = c
        .param(script, &["ErrorVariable", "EV"])
        .and_then(|(_, v)| v)
        .map(|v| script.src(v).trim_matches(['\'', '"', ' ', '+']).to_owned())
        .filter(|name| {
            let name = name.to_lowercase();
            script.all("variable").iter().any(|n| {
                n.start_byte() > c.node.end_byte()
                    && variable_name(script.src(*n)).as_deref() == Some(name.as_str())
            })
        });
    if let (Some((p, _)), Some(var)) = (quiet, read_later) {
        push(
            out,
            p,
            format!(
                "`exchange-silently-continue`: the Exchange cmdlet `{name}` is called with \
                 `-ErrorAction SilentlyContinue` and its `-ErrorVariable {var}` is read later: in \
                 the Exchange Management Shell the cmdlet is an implicit-remoting proxy that \
                 applies `-ErrorAction` on the server, where SilentlyContinue swallows the error, \
                 so `${var}` stays empty; use `-ErrorAction Continue` (review N1, second change review; \
                 domain reference §7.2; MicrosoftDocs/PowerShell-Docs#1583)"
            ),
        );
    }
    if in_try_body(script, c.node) && c.param(script, &["ErrorVariable", "EV"]).is_none() {
        push(
            out,
            c.name_node,
            format!(
                "`exchange-try-catch`: the Exchange cmdlet `{name}` runs inside `try` without \
                 `-ErrorVariable`: in the Exchange Management Shell it is an implicit-remoting \
                 proxy, so its errors do not reach `catch` when the script runs as a file; call it \
                 with `-ErrorVariable name` and test `$name` and what came back (review M1, M2; \
                 domain reference §7.2; MicrosoftDocs/PowerShell-Docs#1583, \
                 PowerShell/PowerShell#4568)"
            ),
        );
    }
}

/// Whether `node` is in the body of a `try` (not its `catch` or `finally`).
fn in_try_body(script: &Script<'_>, node: Node<'_>) -> bool {
    let mut child = node;
    for a in script.ancestors(node).skip(1) {
        if a.kind() == "try_statement" {
            let body = a
                .named_children(&mut a.walk())
                .find(|c| c.kind() == "statement_block");
            if body.is_some_and(|b| b.id() == child.id()) {
                return true;
            }
        }
        child = a;
    }
    false
}

// --- 3. nslookup ----------------------------------------------------------------------------

fn nslookup(c: &Command<'_>, out: &mut Vec<Finding>) {
    if c.is("nslookup") || c.is("nslookup.exe") {
        push(
            out,
            c.name_node,
            "`nslookup`: `nslookup` asks the server's own resolver (on Exchange servers usually \
             split-brain internal DNS, while the Microsoft Federation Gateway checks public DNS) and \
             writes \"Non-authoritative answer\" to stderr, a terminating error in some hosts; use \
             `Resolve-DnsName -Name <domain> -Type TXT -Server <public resolver> -DnsOnly` (review \
             m2; domain reference §7.3; EX13-CONFIG step 5)"
                .to_owned(),
        );
    }
}

// --- 4. literal-path ------------------------------------------------------------------------

fn literal_path(script: &Script<'_>, c: &Command<'_>, out: &mut Vec<Finding>) {
    let name = &c.name;
    if c.is("New-Item") {
        if let Some((p, _)) = c.param(script, &["Path"]) {
            push(
                out,
                p,
                "`literal-path`: `New-Item -Path` treats `[` and `]` in the path as wildcards; \
                 create a folder with `[void][System.IO.Directory]::CreateDirectory($path)` \
                 (review §3 \"-Path with user paths\"; domain reference §7.3; about_Wildcards)"
                    .to_owned(),
            );
        }
        return;
    }
    let Some(positional_path) = cmdlets::file_cmdlet(name) else {
        return;
    };
    if let Some((p, _)) = c.param(script, &["Path", "FilePath"]) {
        let written = script.src(p).trim().trim_end_matches(':');
        push(
            out,
            p,
            format!(
                "`literal-path`: `{name} {written}` treats `[` and `]` in the path as wildcards; \
                 use `-LiteralPath` (review §3 \"-Path with user paths\"; domain reference §7.3; \
                 about_Wildcards)"
            ),
        );
        return;
    }
    if !positional_path || c.param(script, &["LiteralPath", "PSPath", "LP"]).is_some() {
        return;
    }
    if let Some(first) = c.positional(script).first() {
        let text = script.src(*first).trim_start();
        if text.starts_with(['$', '\'', '"']) {
            push(
                out,
                *first,
                format!(
                    "`literal-path`: the path given to `{name}` by position binds `-Path`, which \
                     treats `[` and `]` as wildcards; write `-LiteralPath` before it (review §3 \
                     \"-Path with user paths\"; domain reference §7.3; about_Wildcards)"
                ),
            );
        }
    }
}

// --- 5. confirm-after-typed-confirmation, confirm-colon ---------------------------------------

fn confirm(script: &Script<'_>, c: &Command<'_>, cx: &Context<'_>, out: &mut Vec<Finding>) {
    let name = &c.name;
    let confirm = c.param(script, &["Confirm"]);
    // `-Confirm $false`: a switch takes no value without the colon, so `$false` is positional.
    let spaced = c.elements.windows(2).find_map(|w| match w {
        [Element::Param(p), Element::Arg { node, colon: false }]
            if param_name(script.src(*p)).eq_ignore_ascii_case("confirm") =>
        {
            let v = script.src(*node).trim();
            (v.eq_ignore_ascii_case("$false") || v.eq_ignore_ascii_case("$true")).then_some((*p, v))
        }
        _ => None,
    });
    if let Some((p, v)) = spaced {
        push(
            out,
            p,
            format!(
                "`confirm-colon`: `-Confirm {v}` binds `{v}` as a positional argument of `{name}` \
                 and leaves the prompt as it was; write `-Confirm:{v}` (domain reference §4.4; \
                 EX-SYNTAX \"a colon separator is required on switch parameters\")"
            ),
        );
        return;
    }
    let Some(step) = cx.typed_confirmation else {
        return;
    };
    // `-WhatIf` only shows what would be removed: nothing to confirm.
    if !cmdlets::prompts_before_removing(name) || c.param(script, &["WhatIf"]).is_some() {
        return;
    }
    let off = confirm.is_some_and(|(_, v)| {
        v.is_some_and(|v| script.src(v).trim().eq_ignore_ascii_case("$false"))
    });
    if !off {
        push(
            out,
            c.name_node,
            format!(
                "`confirm-after-typed-confirmation`: step `{step}` already took the operator's typed \
                 confirmation (`confirm:`), but `{name}` has no `-Confirm:$false`: PowerShell asks \
                 again, and a `-NonInteractive` host (`--exec`) cannot answer; add `-Confirm:$false` \
                 and say so in the instructions (review M8; domain reference §7.3; \
                 office-docs-powershell Remove-FederatedDomain.md `-Confirm`)"
            ),
        );
    }
}

// --- 6. strictmode-count --------------------------------------------------------------------

/// Commands whose output has its own `Count`, or is a string whose `Length` is meant.
const COUNTED_OUTPUT: &[&str] = &[
    "measure-object",
    "new-object",
    "group-object",
    "out-string",
    "read-host",
    "convertto-json",
];

/// `$x.Count` where `$x = <command>` (not `@(...)`): `$null` or one object has no `Count` under
/// `StrictMode` in Windows PowerShell 5.1.
fn strictmode_count(script: &Script<'_>, m: Node<'_>, out: &mut Vec<Finding>) {
    if is_static_or_written(script, m) {
        return;
    }
    let (Some(object), Some(member)) = (m.named_child(0), m.named_child(1)) else {
        return;
    };
    let prop = script.src(member).trim();
    if !(prop.eq_ignore_ascii_case("count") || prop.eq_ignore_ascii_case("length")) {
        return;
    }
    let (value, variable) = if object.kind() == "variable" {
        let Some(name) = variable_name(script.src(object)) else {
            return;
        };
        match script.value_of(&name, m.start_byte()) {
            Some(v) => (v, true),
            None => return,
        }
    } else {
        (object, false)
    };
    let Some(command) = bare_command_output(script, value, prop) else {
        return;
    };
    let what = if variable {
        script.src(object).trim().to_owned()
    } else {
        format!("({command} ...)")
    };
    push(
        out,
        member,
        format!(
            "`strictmode-count`: `{what}.{prop}` reads the output of `{command}` not wrapped in \
             `@(...)`: when nothing or one object comes back it is `$null` or a scalar, and under \
             `Set-StrictMode -Version Latest` in Windows PowerShell 5.1 `.{prop}` on it throws; \
             assign `@({command} ...)` (review B1, the StrictMode class; issue 11 conventions rule 3; \
             domain reference §7.1)"
        ),
    );
}

/// The first command's name when `node` is a pipeline of commands whose output is not made an
/// array (`@(...)`, a cast), looking through `( )` and single-child wrappers.
fn bare_command_output(script: &Script<'_>, node: Node<'_>, prop: &str) -> Option<String> {
    let mut node = node;
    loop {
        match node.kind() {
            "array_expression"
            | "cast_expression"
            | "sub_expression"
            | "hash_literal_expression"
            | "string_literal"
            | "expandable_string_literal" => return None,
            "pipeline_chain" => {
                let (head, commands) = script.pipeline_of(node);
                if head.is_some() || commands.is_empty() {
                    return None;
                }
                let last = commands.last()?.name.to_ascii_lowercase();
                if COUNTED_OUTPUT.contains(&last.as_str()) {
                    return None;
                }
                let first = &commands[0];
                if prop.eq_ignore_ascii_case("length")
                    && first.is("Get-Content")
                    && first.param(script, &["Raw"]).is_some()
                {
                    return None;
                }
                return Some(first.name.clone());
            }
            "command" => {
                let chain = script.parent(node)?;
                if chain.kind() != "pipeline_chain" {
                    return None;
                }
                node = chain;
            }
            _ => {
                let mut cursor = node.walk();
                let named: Vec<Node<'_>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment")
                    .collect();
                match named.as_slice() {
                    [one] => node = *one,
                    _ => return None,
                }
            }
        }
    }
}

// --- 7. security-log-unbounded --------------------------------------------------------------

fn security_log(script: &Script<'_>, c: &Command<'_>, out: &mut Vec<Finding>) {
    if !c.is("Get-WinEvent") || c.param(script, &["MaxEvents"]).is_some() {
        return;
    }
    let security = |text: &str| {
        text.to_ascii_lowercase()
            .split(|ch: char| !ch.is_ascii_alphanumeric())
            .any(|w| w == "security")
    };
    let unbounded = if let Some((_, Some(h))) = c.param(script, &["FilterHashtable"]) {
        let hash = match variable_name(script.src(h)) {
            Some(name) => script.value_of(&name, h.start_byte()),
            None => Some(h),
        };
        hash.is_some_and(|h| {
            let mut log = false;
            let mut start = false;
            walk(h, &mut |n| {
                if n.kind() == "hash_entry" {
                    let key = n
                        .named_child(0)
                        .map(|k| script.src(k).trim().to_ascii_lowercase());
                    let value = n.named_child(1).map_or("", |v| script.src(v));
                    match key.as_deref().map(|k| k.trim_matches(['\'', '"'])) {
                        Some("logname") if security(value) => log = true,
                        Some("starttime") => start = true,
                        _ => {}
                    }
                }
            });
            log && !start
        })
    } else {
        let log = c
            .param(script, &["LogName"])
            .and_then(|(_, v)| v)
            .or_else(|| c.positional(script).first().copied());
        let xpath = c
            .param(script, &["FilterXPath"])
            .and_then(|(_, v)| v)
            .is_some_and(|x| script.src(x).to_ascii_lowercase().contains("timecreated"));
        log.is_some_and(|l| security(script.src(l))) && !xpath
    };
    if unbounded {
        push(
            out,
            c.name_node,
            "`security-log-unbounded`: `Get-WinEvent` reads the Security log without a `StartTime` \
             in `-FilterHashtable` and without `-MaxEvents`: on an auditing AD FS server that scans \
             the whole log; bound it (e.g. the event's TimeCreated minus 5 minutes) (review A3, D3; \
             PS-WINEVENT)"
                .to_owned(),
        );
    }
}

// --- 8. case-insensitive-rule-compare -------------------------------------------------------

/// Operators that ignore case and have a `-c` form.
const CASE_BLIND: &[&str] = &[
    "-eq",
    "-ne",
    "-ieq",
    "-ine",
    "-match",
    "-notmatch",
    "-imatch",
    "-inotmatch",
    "-like",
    "-notlike",
    "-ilike",
    "-inotlike",
    "-contains",
    "-notcontains",
    "-icontains",
    "-inotcontains",
    "-in",
    "-notin",
    "-iin",
    "-inotin",
];

fn rule_compare(script: &Script<'_>, e: Node<'_>, out: &mut Vec<Finding>) {
    let mut cursor = e.walk();
    let children: Vec<Node<'_>> = e.named_children(&mut cursor).collect();
    let [left, op, right] = children.as_slice() else {
        return;
    };
    if op.kind() != "comparison_operator" {
        return;
    }
    let operator = script.src(*op).trim().to_ascii_lowercase();
    if !CASE_BLIND.contains(&operator.as_str()) {
        return;
    }
    let empty = |n: Node<'_>| {
        let t = script.src(n).trim().to_ascii_lowercase();
        matches!(t.as_str(), "$null" | "''" | "\"\"")
    };
    if empty(*left) || empty(*right) {
        return;
    }
    let Some(rules) = [*left, *right]
        .into_iter()
        .find_map(|n| rule_text(script, n, DEPTH))
    else {
        return;
    };
    let bare = operator.trim_start_matches('-').trim_start_matches('i');
    push(
        out,
        *op,
        format!(
            "`case-insensitive-rule-compare`: `{operator}` compares claim rule text (`{rules}`) \
             ignoring case, so a change of case only slips through; claim values are case-sensitive: \
             use `-c{bare}` (review D2; domain reference §7.4; ADFS-AUTHZ)"
        ),
    );
}

/// The `*AuthorizationRules` / `IssuanceTransformRules` property whose text `node` is: the
/// property itself, a method call on it (`.Trim()`), or a variable assigned from one.
fn rule_text(script: &Script<'_>, node: Node<'_>, depth: usize) -> Option<String> {
    if depth == 0 {
        return None;
    }
    match node.kind() {
        "member_access" => {
            let name = script.src(node.named_child(1)?).trim();
            let n = name.to_ascii_lowercase();
            if n.ends_with("authorizationrules") || n == "issuancetransformrules" {
                Some(name.to_owned())
            } else {
                None
            }
        }
        "invokation_expression" => rule_text(script, node.named_child(0)?, depth),
        "variable" => {
            let v = variable_name(script.src(node))?;
            let value = script.value_of(&v, node.start_byte())?;
            rule_text(script, value, depth - 1)
        }
        _ => rule_text(script, wrapped(node)?, depth),
    }
}
