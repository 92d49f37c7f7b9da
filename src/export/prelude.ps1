Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# ---------------------------------------------------------------------------------------------
# The run's own machinery: start/resume, gates and overrides, the record. The steps follow.
# ---------------------------------------------------------------------------------------------

# A PowerShell single-quoted literal of $Text, for the resume command this script prints
# (the quote and the curly quotes PowerShell also reads as quotes are doubled).
function Format-PsLiteral {
    param([string]$Text)
    return "'" + ($Text -replace "['\u2018\u2019\u201A\u201B]", '$0$0') + "'"
}

function Write-RunRecord {
    param([string]$Text)
    $line = '{0} {1}' -f (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ'), $Text
    try {
        Add-Content -LiteralPath $script:RecordLog -Value $line -Encoding UTF8
    }
    catch {
        Write-Warning ('Could not write the run record {0}: {1}' -f $script:RecordLog, $_.Exception.Message)
    }
}

function Save-Captured {
    $values = [ordered]@{}
    foreach ($c in $script:Captures) {
        $value = Get-Variable -Name $c.Name -Scope Script -ValueOnly -ErrorAction SilentlyContinue
        if ($null -ne $value) { $values[$c.Name] = $value }
    }
    $record = [ordered]@{ runbook = $script:RunbookSha256; parameters = $script:ParametersSha256; captured = $values; gates = $script:GateState }
    try {
        $record | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $script:CapturedFile -Encoding UTF8
    }
    catch {
        Write-Warning ('Could not save the captured values to {0}: {1}' -f $script:CapturedFile, $_.Exception.Message)
    }
}

# The command line that runs this script again from step $Id, with every captured value in
# $Known that has a value so far.
function Get-ResumeCommand {
    param([string]$Id, [string[]]$Known, [switch]$WithOverride)
    $parts = @('&', (Format-PsLiteral $script:ScriptPath), '-StartAt', (Format-PsLiteral $Id))
    foreach ($c in $script:Captures) {
        if (@($Known) -notcontains $c.Name) { continue }
        $value = Get-Variable -Name $c.Name -Scope Script -ValueOnly -ErrorAction SilentlyContinue
        if ($null -eq $value -or [string]::IsNullOrWhiteSpace([string]$value)) { continue }
        $parts += ('-' + $c.Parameter)
        $parts += ((@($value) | ForEach-Object { Format-PsLiteral ([string]$_) }) -join ',')
    }
    $parts += '-RecordPath'
    $parts += (Format-PsLiteral $script:RecordPath)
    $parts += '-RunId'
    $parts += (Format-PsLiteral $script:RunId)
    if ($WithOverride) {
        $parts += ('-Override @{{ {0} = ''<why it is safe to go on>'' }}' -f (Format-PsLiteral $Id))
    }
    return ($parts -join ' ')
}

function Initialize-Run {
    param([string]$StartAt, [hashtable]$Override, [string]$RecordPath, [string]$RunId)
    if ($PSCommandPath) { $script:ScriptPath = $PSCommandPath } else { $script:ScriptPath = $script:DefaultScriptName }
    if ([string]::IsNullOrWhiteSpace($RecordPath)) { $RecordPath = $script:DefaultRecordPath }
    # Relative to the current file-system location (not the process's working directory, and not
    # AD:\ after Import-Module ActiveDirectory).
    if (-not [System.IO.Path]::IsPathRooted($RecordPath)) {
        $RecordPath = Join-Path -Path (Get-Location -PSProvider FileSystem).ProviderPath -ChildPath $RecordPath
    }
    $script:RecordPath = [System.IO.Path]::GetFullPath($RecordPath)
    [void][System.IO.Directory]::CreateDirectory($script:RecordPath)
    $script:RecordLog = Join-Path -Path $script:RecordPath -ChildPath ($script:RunbookId + '.record.log')
    # Step ids are matched exactly from here on: -StartAt and -Override keys as typed may differ
    # in case (ValidateSet and hashtables ignore it), so take the runbook's own spelling.
    if ($StartAt) {
        $StartAt = @($script:StepIds | Where-Object { $_ -eq $StartAt })[0]
    }
    $exact = @{}
    foreach ($key in @($Override.Keys)) {
        $id = @($script:StepIds | Where-Object { $_ -eq [string]$key })
        if ($id.Count -ne 1) {
            throw ('-Override names {0}, which is not a step of this runbook. Gates: {1}' -f $key, ($script:GateIds -join ', '))
        }
        $exact[$id[0]] = $Override[$key]
    }
    $Override = $exact
    $resumingRun = -not [string]::IsNullOrWhiteSpace($RunId)
    if ($resumingRun -and -not $StartAt) {
        throw '-RunId resumes a run: give -StartAt too (the command the script printed when it stopped has both).'
    }
    if (-not $resumingRun) {
        if ($StartAt) {
            Write-Warning 'No -RunId: this is a new run, so no gate of an earlier run counts as passed.'
        }
        $RunId = (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ') + '-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
    }
    elseif ($RunId -notmatch '^[0-9TZ]+-[0-9a-f]{6}$') {
        throw ('-RunId {0} is not a run id this script printed (like 20261129T081500Z-1a2b3c).' -f $RunId)
    }
    $script:RunId = $RunId
    $script:CapturedFile = Join-Path -Path $script:RecordPath -ChildPath ('{0}.{1}.captured.json' -f $script:RunbookId, $RunId)
    $stamp = (Get-Date).ToUniversalTime().ToString('yyyyMMddTHHmmssZ')
    $transcript = Join-Path -Path $script:RecordPath -ChildPath ('{0}-{1}.transcript.txt' -f $script:RunbookId, $stamp)
    try {
        [void](Start-Transcript -LiteralPath $transcript)
        $script:Transcribing = $true
    }
    catch {
        Write-Warning ('No transcript: {0}' -f $_.Exception.Message)
    }
    Write-Host ('Record folder: {0} (run {1})' -f $script:RecordPath, $RunId)
    if ($Override.Count -gt 0 -and -not $StartAt) {
        throw '-Override needs -StartAt: a gate is overridden after it failed, or when the start skips it. Use the command the script printed when it stopped.'
    }
    foreach ($key in @($Override.Keys)) {
        if ($script:GateIds -notcontains [string]$key) {
            throw ('-Override names {0}, which is not a gate of this runbook. Gates: {1}' -f $key, ($script:GateIds -join ', '))
        }
        if ([array]::IndexOf($script:StepIds, [string]$key) -gt [array]::IndexOf($script:StepIds, $StartAt)) {
            throw ('-Override names {0}, a gate after -StartAt {1}: a gate is overridden only once it has failed.' -f $key, $StartAt)
        }
        $reason = [string]$Override[$key]
        if ([string]::IsNullOrWhiteSpace($reason) -or $reason -match '^<.*>$') {
            throw ('-Override for {0} needs the reason it is safe to go on, in your own words.' -f $key)
        }
    }
    $script:Override = $Override
    $who = '{0}\{1} on {2}' -f $env:USERDOMAIN, $env:USERNAME, $env:COMPUTERNAME
    if ($StartAt) {
        # Gates before the start must have passed (or been left off the path) in this run, or be
        # overridden with a reason: -StartAt never skips one silently. The values this run
        # captured come from its record; one given on the command line must be the same, since
        # the gates after its capture judged the recorded one.
        if (Test-Path -LiteralPath $script:CapturedFile) {
            $previous = $null
            try {
                $previous = Get-Content -LiteralPath $script:CapturedFile -Raw -Encoding UTF8 | ConvertFrom-Json
            }
            catch {
                throw ('The record of run {0} cannot be read ({1}): {2}' -f $RunId, $script:CapturedFile, $_.Exception.Message)
            }
            if ($null -eq $previous -or -not $previous.PSObject.Properties['runbook']) {
                throw ('The record of run {0} cannot be read ({1}): it is empty or incomplete.' -f $RunId, $script:CapturedFile)
            }
            # The gates of that run judged that runbook with those parameter values.
            if ([string]$previous.runbook -cne $script:RunbookSha256 -or [string]$previous.parameters -cne $script:ParametersSha256) {
                throw ('Run {0} was made by a script with another runbook or other parameter values than this one; its gates do not hold here. Resume with the script that started it, or start a new run (no -RunId).' -f $RunId)
            }
            if ($previous.PSObject.Properties['gates'] -and $null -ne $previous.gates) {
                foreach ($g in $previous.gates.PSObject.Properties) { $script:GateState[$g.Name] = [string]$g.Value }
            }
            if ($previous.PSObject.Properties['captured'] -and $null -ne $previous.captured) {
                foreach ($v in $previous.captured.PSObject.Properties) {
                    $given = Get-Variable -Name $v.Name -Scope Script -ValueOnly -ErrorAction SilentlyContinue
                    $recorded = @($v.Value | ForEach-Object { [string]$_ })
                    if ($null -eq $given) {
                        if ($recorded.Count -eq 1) { $recorded = $recorded[0] }
                        Set-Variable -Name $v.Name -Scope Script -Value $recorded
                    }
                    elseif ((@($given) -join "`n") -cne ($recorded -join "`n")) {
                        throw ('{0} was captured as {1} in run {2}; the command line gives {3}. Leave it out to use the recorded value, or start a new run (no -RunId).' -f $v.Name, (Format-PsLiteral ($recorded -join ',')), $RunId, (Format-PsLiteral (@($given) -join ',')))
                    }
                }
            }
        }
        elseif ($resumingRun) {
            throw ('There is no record of run {0} in {1}. Give the -RecordPath it printed, or start a new run (no -RunId).' -f $RunId, $script:RecordPath)
        }
        $startIndex = [array]::IndexOf($script:StepIds, $StartAt)
        if ($startIndex -lt 0) { throw ('-StartAt {0} is not a step of this runbook.' -f $StartAt) }
        # What the run is about to do again is judged again.
        foreach ($g in @($script:GateState.Keys)) {
            if ([array]::IndexOf($script:StepIds, [string]$g) -ge $startIndex) { $script:GateState.Remove($g) }
        }
        $unproven = @()
        foreach ($g in $script:GateIds) {
            if ([array]::IndexOf($script:StepIds, $g) -ge $startIndex) { continue }
            $state = $script:GateState[$g]
            if ($state -eq 'passed' -or $state -eq 'overridden' -or $state -eq 'not on the path taken' -or $state -eq 'not applicable') { continue }
            # A gate whose failure no reason can justify (NO OVERRIDE) is skipped only once passed.
            if ($Override.ContainsKey($g) -and $script:StrictGates -notcontains $g) {
                $script:GateState[$g] = 'overridden'
                Write-Warning ('Gate {0} is skipped by -StartAt; OVERRIDDEN: {1}' -f $g, [string]$Override[$g])
                Write-RunRecord ('gate {0} skipped by -StartAt and overridden by {1}: {2}' -f $g, $who, [string]$Override[$g])
                # Used once: reached again after a jump back, the gate is judged again.
                $Override.Remove($g)
                continue
            }
            $unproven += $g
        }
        if ($unproven.Count -gt 0) {
            $strict = @($unproven | Where-Object { $script:StrictGates -contains $_ })
            if ($strict.Count -gt 0) {
                throw ('Starting at {0} skips {1}, which has not passed in run {2} and cannot be overridden: start at {3}.' -f $StartAt, ($strict -join ', '), $RunId, $strict[0])
            }
            throw ("Starting at {0} skips gates that have not passed in run {1}: {2}. Start at the first of them, or pass -Override @{{ '{3}' = '<why it is safe>' }} for each." -f $StartAt, $RunId, ($unproven -join ', '), $unproven[0])
        }
        $missing = @()
        foreach ($name in @($script:Needs[$StartAt])) {
            if ($null -eq $name) { continue }
            $value = Get-Variable -Name $name -Scope Script -ValueOnly -ErrorAction SilentlyContinue
            if ($null -eq $value -or [string]::IsNullOrWhiteSpace([string]$value)) {
                $c = @($script:Captures | Where-Object { $_.Name -eq $name })[0]
                $missing += ('-{0} <value> (captured by step {1})' -f $c.Parameter, $c.Step)
            }
        }
        if ($missing.Count -gt 0) {
            throw ("Starting at {0} needs values that earlier steps captured. Pass them (the record of the earlier run has them in {1}):`r`n    {2}" -f $StartAt, $script:CapturedFile, ($missing -join "`r`n    "))
        }
        $script:Goto = $StartAt
        $script:Resuming = $true
        Write-RunRecord ('run {0} resumed at {1} by {2}' -f $RunId, $StartAt, $who)
    }
    else {
        Write-RunRecord ('run {0} started by {1}' -f $RunId, $who)
    }
    Save-Captured
}

function Enter-Step {
    param([string]$Id, [string]$Title)
    if ($null -ne $script:Goto) {
        if ($script:Goto -ne $Id) {
            # A decision's jump leaves this gate off the path; the scan to -StartAt does not.
            # Only a forward jump passes over this gate; a backward one restarts the loop.
            $forward = [array]::IndexOf($script:StepIds, $script:Goto) -gt [array]::IndexOf($script:StepIds, $Id)
            if ($forward -and -not $script:Resuming -and $script:GateIds -contains $Id -and -not $script:GateState.ContainsKey($Id)) {
                $script:GateState[$Id] = 'not on the path taken'
            }
            return $false
        }
        $script:Goto = $null
        $script:Resuming = $false
    }
    $script:CurrentStep = $Id
    Write-Host ''
    Write-Host ('=== {0}: {1}' -f $Id, $Title)
    Write-RunRecord ('step {0}' -f $Id)
    return $true
}

# A step failed: an overridden gate goes on; anything else stops the run and prints the command
# that resumes at this step.
function Stop-Step {
    param([string]$Id, $ErrorRecord, [string[]]$Known, [switch]$Gate)
    $why = [string]$ErrorRecord
    # A template marks a failure that no reason can justify going past with 'NO OVERRIDE:'.
    $overridable = $Gate -and $why -notmatch 'NO OVERRIDE:'
    if ($overridable -and $script:Override.ContainsKey($Id)) {
        $reason = [string]$script:Override[$Id]
        # Used once: a gate reached again after a jump back is judged again.
        $script:Override.Remove($Id)
        $script:GateState[$Id] = 'overridden'
        Save-Captured
        Write-Warning ('Gate {0} did not pass ({1}); OVERRIDDEN: {2}' -f $Id, $why, $reason)
        Write-RunRecord ('gate {0} overridden by {1}\{2}: {3} (it had failed: {4})' -f $Id, $env:USERDOMAIN, $env:USERNAME, $reason, $why)
        return
    }
    # A template names the step to go on from with 'RESUME AT: <step-id>'.
    $resumeId = $Id
    $resumeKnown = $Known
    if ($why -match 'RESUME AT:\s*([a-z0-9][a-z0-9-]*)' -and $script:StepIds -contains $Matches[1]) {
        $resumeId = $Matches[1]
        $resumeKnown = $script:Known[$resumeId]
        # Going on further ahead is the runbook's own jump: the gates it passes over are off the
        # path, as after a decision (a backward one runs them again).
        $from = [array]::IndexOf($script:StepIds, $Id)
        $to = [array]::IndexOf($script:StepIds, $resumeId)
        foreach ($g in $script:GateIds) {
            $at = [array]::IndexOf($script:StepIds, $g)
            if ($at -gt $from -and $at -lt $to -and -not $script:GateState.ContainsKey($g)) {
                $script:GateState[$g] = 'not on the path taken'
            }
        }
        Save-Captured
    }
    $script:Stopped = $true
    if ($Gate) {
        $script:GateState[$Id] = 'failed'
        Save-Captured
    }
    Write-RunRecord ('stopped at {0}: {1}' -f $Id, $why)
    Write-Host ''
    Write-Host ('STOPPED at step {0}: {1}' -f $Id, $why) -ForegroundColor Red
    if ($resumeId -eq $Id) {
        Write-Host 'Fix the cause, then run this step again with:'
    }
    else {
        Write-Host ('Go on from step {0} with:' -f $resumeId)
    }
    Write-Host ('    ' + (Get-ResumeCommand -Id $resumeId -Known $resumeKnown))
    if ($overridable) {
        Write-Host 'Or, only if you can justify going on without this gate (the reason is recorded):'
        Write-Host ('    ' + (Get-ResumeCommand -Id $Id -Known $Known -WithOverride))
    }
    elseif ($Gate) {
        Write-Host 'This gate cannot be overridden.' -ForegroundColor Red
    }
    throw $ErrorRecord
}

function Complete-Gate {
    param([string]$Id, [string]$State)
    $script:GateState[$Id] = $State
    Write-RunRecord ('gate {0} {1}' -f $Id, $State)
    Save-Captured
}

function Confirm-Target {
    param([string]$Expected)
    $typed = Read-Host ('DESTRUCTIVE. Type {0} to go ahead' -f $Expected)
    if ($typed -cne $Expected) {
        throw 'The confirmation did not match; stopping before the destructive command.'
    }
    Write-RunRecord ('typed confirmation for {0} given by {1}\{2}' -f $Expected, $env:USERDOMAIN, $env:USERNAME)
}

function Assert-Passed {
    param([string]$Expect)
    $answer = Read-Host ('Did it pass? Expected: {0} [y/N]' -f $Expect)
    if ($answer -notmatch '^(y|yes)$') {
        throw 'The operator answered that the check did not pass.'
    }
}

function Assert-Captured {
    param([string]$Name, $Value)
    if ($null -eq $Value -or [string]::IsNullOrWhiteSpace([string]$Value)) {
        throw ('The captured value {0} is empty; an empty identity would match every object.' -f $Name)
    }
}

function Complete-Capture {
    param([string]$Name, $Value)
    Assert-Captured $Name $Value
    Write-Host ('{0} = {1}' -f $Name, (@($Value) -join ', '))
    Write-RunRecord ('captured {0} = {1}' -f $Name, (@($Value) -join ', '))
    Save-Captured
}

# A wait whose runbook says what "done" prints: poll until a line matches, no "y" needed.
function Test-Done {
    param($Output, [string]$Pattern)
    $text = (@($Output) | ForEach-Object { [string]$_ }) -join "`n"
    return ($text -cmatch ('(?m)' + $Pattern))
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
    Write-RunRecord ('decision: {0} -> {1}' -f $Question, $answer)
    return $answer
}

function Request-Approval {
    param([string]$Approver)
    $name = Read-Host ('Approved by ({0})' -f $Approver)
    if ([string]::IsNullOrWhiteSpace($name)) {
        throw 'No approval recorded; stopping.'
    }
    Write-Host ('Approved by {0}' -f $name)
    Write-RunRecord ('approved by {0} ({1})' -f $name, $Approver)
}

# A message the operator must send: printed, saved to the record folder, then a pause.
function Show-Message {
    param([string]$Id, [string]$To, [string]$Subject, [string]$Message)
    $file = Join-Path -Path $script:RecordPath -ChildPath ('{0}.{1}.message.txt' -f $script:RunbookId, $Id)
    $text = "To: $To`r`nSubject: $Subject`r`n`r`n$Message`r`n"
    Set-Content -LiteralPath $file -Value $text -Encoding UTF8
    Write-Host ''
    Write-Host '--------------------------------- message to send ---------------------------------'
    Write-Host $text
    Write-Host '------------------------------------------------------------------------------------'
    Write-Host ('Saved to {0}' -f $file)
    Write-RunRecord ('message {0} saved to {1}' -f $Id, $file)
    Wait-Operator 'Send the message above, then press Enter'
}

function Close-Run {
    if (-not $script:Finished -and -not $script:Stopped -and $script:CurrentStep) {
        Write-Host ''
        Write-Host ('INTERRUPTED at step {0}. To run it again:' -f $script:CurrentStep) -ForegroundColor Yellow
        Write-Host ('    ' + (Get-ResumeCommand -Id $script:CurrentStep -Known $script:Known[$script:CurrentStep]))
        Write-RunRecord ('interrupted at {0}' -f $script:CurrentStep)
    }
    if ($script:Transcribing) {
        try { [void](Stop-Transcript) } catch { Write-Warning $_.Exception.Message }
    }
}
