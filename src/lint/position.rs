//! Where a finding in a rendered template is in the file the author edits: the line of the
//! Tera template that produced the rendered line (literal text matched around each `{{ }}` and
//! `{% %}`), then, for an inline command, the line of the YAML block it is written in.

/// A 0-based line and character column of a rendered template, mapped to the template's.
pub(super) fn in_template(
    template: &str,
    rendered: &str,
    line: usize,
    col: usize,
) -> (usize, usize) {
    let t_lines: Vec<&str> = template.lines().collect();
    if t_lines.is_empty() {
        return (0, 0);
    }
    // Align every rendered line up to `line` with a template line, in order; a loop's body
    // matches again from the top when nothing later matches.
    let mut at = 0usize;
    let mut found = None;
    for (r, text) in rendered.lines().enumerate().take(line + 1) {
        let hit = (at..t_lines.len())
            .chain(0..at)
            .find(|&j| segments_match(t_lines[j], text).is_some());
        if let Some(j) = hit {
            at = j;
            if r == line {
                found = Some(j);
            }
        }
    }
    let Some(j) = found else {
        return (at.min(t_lines.len() - 1), 0);
    };
    let text = rendered.lines().nth(line).unwrap_or("");
    (j, column_in_template(t_lines[j], text, col))
}

/// A template line cut into literal text and Tera tags (`{{ }}`, `{% %}`, `{# #}`), as
/// (is literal, text).
fn pieces(line: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = ["{{", "{%", "{#"].iter().filter_map(|o| rest.find(o)).min() {
        let close = match &rest[open..open + 2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let Some(end) = rest[open + 2..].find(close).map(|e| open + 2 + e + 2) else {
            break;
        };
        if open > 0 {
            out.push((true, &rest[..open]));
        }
        out.push((false, &rest[open..end]));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push((true, rest));
    }
    out
}

/// Where each piece of `template` starts in `rendered` (byte offsets), if the line's literal
/// text appears in it in order with anything in place of each tag.
fn segments_match(template: &str, rendered: &str) -> Option<Vec<(usize, usize)>> {
    let pieces = pieces(template);
    let produces = |t: &str| t.starts_with("{{");
    if !pieces
        .iter()
        .any(|(literal, t)| *literal && !t.trim().is_empty() || produces(t))
    {
        // Only `{% %}` / `{# #}` tags: the line renders blank.
        return rendered.trim().is_empty().then(Vec::new);
    }
    let mut starts = Vec::with_capacity(pieces.len());
    let mut pos = 0usize;
    let last = pieces.len().saturating_sub(1);
    for (i, (literal, text)) in pieces.iter().enumerate() {
        if !literal {
            starts.push((pos, 0));
            continue;
        }
        let at = if i == 0 {
            rendered.starts_with(text).then_some(0)?
        } else if i == last {
            let at = rendered.len().checked_sub(text.len())?;
            (at >= pos && rendered[at..] == **text).then_some(at)?
        } else {
            pos + rendered.get(pos..)?.find(text)?
        };
        starts.push((at, text.len()));
        pos = at + text.len();
    }
    if pieces.is_empty() {
        return rendered.trim().is_empty().then(Vec::new);
    }
    if pieces.last().is_some_and(|(l, _)| *l) || pos <= rendered.len() {
        Some(starts)
    } else {
        None
    }
}

/// The template column (characters) of rendered character column `col`: the same place in a
/// literal piece, the start of the tag that produced it otherwise.
fn column_in_template(template: &str, rendered: &str, col: usize) -> usize {
    let byte = rendered
        .char_indices()
        .nth(col)
        .map_or(rendered.len(), |(b, _)| b);
    let Some(starts) = segments_match(template, rendered) else {
        return 0;
    };
    let mut t_byte = 0usize;
    let mut answer = 0usize;
    for ((literal, text), (r_start, len)) in pieces(template).iter().zip(starts) {
        if *literal && byte >= r_start && byte < r_start + len {
            answer = t_byte + (byte - r_start);
            break;
        }
        if !literal && byte >= r_start {
            answer = t_byte;
        }
        t_byte += text.len();
    }
    template
        .get(..answer)
        .map_or(answer, |before| before.chars().count())
}

/// For a YAML value at `at` (1-based, as serde reports it) written as a block scalar (`|`):
/// the 0-based index of its first content line and the block's indentation.
pub(super) fn block(lines: &[&str], at: (u64, u64)) -> Option<(usize, usize)> {
    let l = usize::try_from(at.0).ok()?.checked_sub(1)?;
    let c = usize::try_from(at.1).ok()?.saturating_sub(1);
    let head = lines.get(l)?;
    let is_indicator = |t: &str| {
        let t = t.trim_end();
        ["|", "|-", "|+", ">", ">-", ">+"]
            .iter()
            .any(|i| t.ends_with(&format!(": {i}")) || t == *i)
    };
    let first = if head.chars().nth(c).is_some_and(|ch| ch == '|' || ch == '>') {
        l + 1
    } else if l > 0 && is_indicator(lines[l - 1]) {
        // The position of the content itself.
        l
    } else {
        return None;
    };
    let indent = lines
        .iter()
        .skip(first)
        .find(|t| !t.trim().is_empty())
        .map_or(0, |t| t.chars().take_while(|c| *c == ' ').count());
    Some((first, indent))
}

/// The runbook's 1-based `line:col` of 0-based line `line`, character column `col`, of an inline
/// YAML value that starts at `at` (the position serde reports for it) in `yaml`.
pub(super) fn in_yaml(
    yaml: &str,
    at: (u64, u64),
    value: &str,
    line: usize,
    col: usize,
) -> (u64, u64) {
    let lines: Vec<&str> = yaml.lines().collect();
    let col64 = |c: usize| u64::try_from(c).unwrap_or(u64::MAX);
    if let Some((first, indent)) = block(&lines, at) {
        // A literal block keeps every line: value line k is the k-th content line.
        let i = first + line;
        let want = value.lines().nth(line).unwrap_or("").trim();
        if lines.get(i).is_some_and(|t| t.trim() == want) {
            return (col64(i + 1), col64(indent + col + 1));
        }
        return at;
    }
    if line == 0 {
        let start = usize::try_from(at.0).unwrap_or(1).saturating_sub(1);
        let quoted = lines.get(start).is_some_and(|t| {
            t.chars()
                .nth(usize::try_from(at.1).unwrap_or(1).saturating_sub(1))
                .is_some_and(|c| c == '\'' || c == '"')
        });
        return (at.0, at.1 + col64(col) + u64::from(quoted));
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_line_maps_back_through_values_and_tags() {
        let template = "$a = {{ x }}\n{% if y %}\nRemove-Thing -Id {{ id }} -Force\n{% endif %}\n";
        let rendered = "$a = 'long value here'\n\nRemove-Thing -Id 'abc' -Force\n\n";
        // `-Force` in the rendered line 2 is at column 23; in the template at column 26.
        assert_eq!(in_template(template, rendered, 2, 23), (2, 26));
        // Inside the value: the start of the `{{`.
        assert_eq!(in_template(template, rendered, 2, 18), (2, 17));
        assert_eq!(in_template(template, rendered, 0, 0), (0, 0));
    }

    #[test]
    fn a_loop_body_matches_again() {
        let template = "{% for d in ds %}\nGet-X {{ d }}\n{% endfor %}\nDone\n";
        let rendered = "\nGet-X 'a'\n\nGet-X 'b'\n\nDone\n";
        assert_eq!(in_template(template, rendered, 3, 0).0, 1);
        assert_eq!(in_template(template, rendered, 5, 0).0, 3);
    }

    #[test]
    fn a_block_scalar_line_maps_to_its_yaml_line() {
        let yaml = "steps:\n  - id: a\n    command: |\n      Get-A\n\n      Get-B -X 1\n";
        let value = "Get-A\n\nGet-B -X 1\n";
        assert_eq!(in_yaml(yaml, (3, 14), value, 2, 6), (6, 13));
        assert_eq!(in_yaml(yaml, (3, 14), value, 0, 0), (4, 7));
        // serde may report the first content line instead of the indicator.
        assert_eq!(in_yaml(yaml, (4, 7), value, 2, 6), (6, 13));
    }

    #[test]
    fn a_plain_scalar_maps_by_column() {
        let yaml = "    command: Get-A -B\n";
        assert_eq!(in_yaml(yaml, (1, 14), "Get-A -B", 0, 6), (1, 20));
    }
}
