#Requires -Version 5.1
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Enter-Step {
    param([string]$Id, [string]$Title)
    if ($null -ne $script:Goto) {
        if ($script:Goto -ne $Id) {
            return $false
        }
        $script:Goto = $null
    }
    Write-Host ''
    Write-Host ('=== {0}: {1}' -f $Id, $Title)
    return $true
}

function Confirm-Target {
    param([string]$Expected)
    $typed = Read-Host ('DESTRUCTIVE. Type {0} to go ahead' -f $Expected)
    if ($typed -ne $Expected) {
        throw 'The confirmation did not match; stopping before the destructive command.'
    }
}

function Assert-Passed {
    param([string]$Expect)
    $answer = Read-Host ('Did it pass? Expected: {0} [y/N]' -f $Expect)
    if ($answer -notmatch '^(y|yes)$') {
        throw 'The check did not pass; stopping. Fix the cause, then resume from this step.'
    }
}

function Assert-Captured {
    param([string]$Name, $Value)
    if ($null -eq $Value -or [string]::IsNullOrWhiteSpace([string]$Value)) {
        throw ('The captured value {0} is empty; an empty identity would match every object.' -f $Name)
    }
}

function Wait-Operator {
    param([string]$Prompt)
    [void](Read-Host $Prompt)
}

function Read-Choice {
    param([string]$Question, [string[]]$Choices)
    do {
        $answer = Read-Host ('{0} [{1}]' -f $Question, ($Choices -join '/'))
    } until ($Choices -contains $answer)
    return $answer
}

function Request-Approval {
    param([string]$Approver)
    $name = Read-Host ('Approved by ({0})' -f $Approver)
    if ([string]::IsNullOrWhiteSpace($name)) {
        throw 'No approval recorded; stopping.'
    }
    Write-Host ('Approved by {0}' -f $name)
}
