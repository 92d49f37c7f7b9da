//! Operator text made safe for the Markdown run record: shown as typed, never read as Markdown or
//! HTML. Notes and reasons are typed (or pasted) by operators, and the record goes on a change
//! ticket as it is (issue 14): a `<b>`, a `|` or a line that starts with `#` in a note must not
//! change what the ticket shows.

/// `text` as inline Markdown that shows exactly these characters: Markdown punctuation escaped
/// with a backslash, `<`, `>` and `&` as entities (so no HTML reaches the page), line breaks as
/// `<br>` (ours: the text stays in its list item or table cell), control characters as visible
/// symbols. The record never starts a line with it, so a `-` or `1.` at its start is inert.
pub(super) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // CommonMark lets any ASCII punctuation be escaped; these are the ones that start
            // emphasis, code, links, headings, tables, strikethrough, math or an escape.
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '$' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            '\t' => out.push(c),
            // C0 controls and DEL as their Unicode control pictures (␛ for ESC), C1 as U+0080..:
            // visible, and inert.
            c if u32::from(c) < 0x20 => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'));
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if ('\u{80}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("U+{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as a code span outside a table: a backtick run longer than any inside it, and a
/// space inside each end when the text starts or ends with a backtick; a line break becomes a
/// space (a code span is one line).
pub(super) fn code(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_run(&one_line, '`') + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') || one_line.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

/// `text` as a code span inside a table cell: as [`code`], with `|` escaped (in a table the
/// escape is taken out again before the span is read; elsewhere it would show).
pub(super) fn cell_code(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// `body` as a fenced block in `language`: the fence is longer than any backtick run in the
/// body, so nothing in it can close the block early.
pub(super) fn fenced(language: &str, body: &str) -> String {
    let fence = "`".repeat((longest_run(body, '`') + 1).max(3));
    let body = body.trim_end_matches(['\n', '\r']);
    format!("{fence}{language}\n{body}\n{fence}\n")
}

/// `text` inside HTML of ours (a `<summary>`): where Markdown is not read, only `&`, `<`, `>` and
/// `"` matter; one line.
pub(super) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_markdown_in_operator_text_are_shown_as_typed() {
        assert_eq!(
            text("<b>x</b> & *y* _z_ `c` [l](u) | ~s~ $m$ ![i]"),
            "&lt;b&gt;x&lt;/b&gt; &amp; \\*y\\* \\_z\\_ \\`c\\` \\[l\\](u) \\| \\~s\\~ \\$m\\$ \\!\\[i\\]"
        );
        assert_eq!(text("a\\b"), "a\\\\b");
    }

    #[test]
    fn a_line_break_stays_inside_the_item_and_controls_are_visible() {
        assert_eq!(text("one\r\ntwo\nthree"), "one<br>two<br>three");
        assert_eq!(
            text("\u{1b}[31mred\u{7f}\u{9b}"),
            "\u{241b}\\[31mred\u{2421}U+009B"
        );
    }

    #[test]
    fn a_block_marker_is_inert_inside_a_line_of_ours() {
        // Operator text never starts a line of the record, so only the inline marks matter.
        assert_eq!(text("# heading"), "\\# heading");
        assert_eq!(text("> quote"), "&gt; quote");
        assert_eq!(text("1.1.0 - 8.8.8.8"), "1.1.0 - 8.8.8.8");
    }

    #[test]
    fn text_in_our_html_has_its_markup_characters_as_entities() {
        assert_eq!(
            html("fail: \"<x>\" & y\nz"),
            "fail: &quot;&lt;x&gt;&quot; &amp; y z"
        );
    }

    #[test]
    fn a_code_span_is_longer_than_any_backtick_run_inside() {
        assert_eq!(code("look"), "`look`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("two\nlines"), "`two lines`");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
    }

    #[test]
    fn a_fence_is_longer_than_any_backtick_run_in_the_body() {
        assert_eq!(fenced("text", "plain\n"), "```text\nplain\n```\n");
        assert_eq!(
            fenced("powershell", "a ```` b"),
            "`````powershell\na ```` b\n`````\n"
        );
    }
}
