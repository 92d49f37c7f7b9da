//! The cmdlet lists the PowerShell checks rest on: which cmdlets are Exchange's (implicit-remoting
//! proxies in the Exchange Management Shell), which take file paths, which prompt before they
//! remove something. Maintained by hand: add a cmdlet here when a runbook starts using it.

/// Exchange cmdlets by noun, with the verbs that exist for it (issue 11 CONVENTIONS rule 2;
/// domain reference §1.2 and §7.2; the `ExchangePowerShell` reference in
/// MicrosoftDocs/office-docs-powershell).
const EXCHANGE: &[(&str, &[&str])] = &[
    ("FederationTrust", &["Get", "New", "Remove", "Set", "Test"]),
    ("FederationTrustCertificate", &["Test"]),
    ("FederatedDomain", &["Add", "Get", "Remove"]),
    ("FederatedOrganizationIdentifier", &["Get", "Set"]),
    ("FederatedDomainProof", &["Get"]),
    ("FederationInformation", &["Get"]),
    (
        "ExchangeCertificate",
        &[
            "Enable", "Export", "Get", "Import", "New", "Remove", "Disable",
        ],
    ),
    (
        "OrganizationRelationship",
        &["Get", "New", "Remove", "Set", "Test"],
    ),
    ("SharingPolicy", &["Get", "New", "Remove", "Set"]),
    ("AcceptedDomain", &["Get", "New", "Remove", "Set"]),
    ("ExchangeServer", &["Get", "Set"]),
    (
        "IntraOrganizationConnector",
        &["Get", "New", "Remove", "Set"],
    ),
    ("AvailabilityAddressSpace", &["Add", "Get", "Remove"]),
    (
        "Mailbox",
        &["Get", "Set", "New", "Remove", "Enable", "Disable"],
    ),
    (
        "RemoteMailbox",
        &["Get", "Set", "New", "Remove", "Enable", "Disable"],
    ),
    ("OrganizationConfig", &["Get", "Set"]),
    (
        "HybridConfiguration",
        &["Get", "Set", "New", "Remove", "Update"],
    ),
    ("PartnerApplication", &["Get", "Set", "New", "Remove"]),
    ("AuthConfig", &["Get", "Set"]),
    ("AuthServer", &["Get", "Set", "New", "Remove"]),
    ("SendConnector", &["Get", "Set", "New", "Remove"]),
    ("ReceiveConnector", &["Get", "Set", "New", "Remove"]),
    ("ExchangeDiagnosticInfo", &["Get"]),
];

/// Whether `name` (any case) is an Exchange cmdlet.
pub(super) fn is_exchange(name: &str) -> bool {
    let Some((verb, noun)) = name.split_once('-') else {
        return false;
    };
    EXCHANGE.iter().any(|(n, verbs)| {
        n.eq_ignore_ascii_case(noun) && verbs.iter().any(|v| v.eq_ignore_ascii_case(verb))
    })
}

/// Cmdlets whose `-Path` expands wildcards and that have `-LiteralPath` (`about_Wildcards`),
/// and whether their first positional argument is that path.
const FILE: &[(&str, bool)] = &[
    ("Add-Content", true),
    ("Copy-Item", true),
    ("Export-Clixml", true),
    ("Export-Csv", true),
    ("Get-ChildItem", true),
    ("Get-Content", true),
    ("Get-FileHash", true),
    ("Get-Item", true),
    ("Get-ItemProperty", true),
    ("Import-Clixml", true),
    ("Import-Csv", true),
    ("Move-Item", true),
    ("Out-File", true),
    ("Remove-Item", true),
    ("Rename-Item", true),
    ("Resolve-Path", true),
    ("Set-Content", true),
    ("Set-Location", true),
    ("Start-Transcript", true),
    ("Test-Path", true),
];

/// For a file cmdlet: `Some(whether its first positional argument is the path)`.
pub(super) fn file_cmdlet(name: &str) -> Option<bool> {
    FILE.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, positional)| *positional)
}

/// Switch parameters common on the cmdlets the checks look at: they take no value, so the
/// argument after them is positional.
const SWITCHES: &[&str] = &[
    "append",
    "asplaintext",
    "confirm",
    "debug",
    "directory",
    "dnsonly",
    "file",
    "force",
    "hidden",
    "includechain",
    "noclobber",
    "nonewline",
    "notypeinformation",
    "oldest",
    "passthru",
    "raw",
    "recurse",
    "verbose",
    "wait",
    "whatif",
];

/// Whether `-name` (without the dash, any case) is a switch.
pub(super) fn is_switch(name: &str) -> bool {
    SWITCHES.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// `Remove-*` cmdlets that change only the local session (variables, modules, jobs, drives):
/// they do not prompt, and a typed confirmation does not concern them.
const LOCAL_REMOVE: &[&str] = &[
    "Remove-Event",
    "Remove-Item",
    "Remove-ItemProperty",
    "Remove-Job",
    "Remove-Module",
    "Remove-PSBreakpoint",
    "Remove-PSDrive",
    "Remove-PSSession",
    "Remove-TypeData",
    "Remove-Variable",
];

/// Whether `name` removes something outside the session and asks for confirmation by default
/// (domain reference §4.4: "Remove-* cmdlets prompt by default"; §7.3).
pub(super) fn prompts_before_removing(name: &str) -> bool {
    name.get(..7)
        .is_some_and(|v| v.eq_ignore_ascii_case("Remove-"))
        && !LOCAL_REMOVE.iter().any(|l| l.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_cmdlets_are_known_by_verb_and_noun_in_any_case() {
        assert!(is_exchange("Get-FederationTrust"));
        assert!(is_exchange("test-federationtrustcertificate"));
        assert!(is_exchange("Add-FederatedDomain"));
        assert!(!is_exchange("Add-FederationTrust"));
        assert!(!is_exchange("Get-ADObject"));
        assert!(!is_exchange("Resolve-DnsName"));
    }

    #[test]
    fn removals_that_prompt_exclude_session_housekeeping() {
        assert!(prompts_before_removing("Remove-FederationTrust"));
        assert!(prompts_before_removing("remove-adobject"));
        assert!(!prompts_before_removing("Remove-Variable"));
        assert!(!prompts_before_removing("Get-ADObject"));
    }
}
