# Running node (and through it `hcm`) as a child process with System.Diagnostics.Process: the same
# behaviour in Windows PowerShell 5.1 and PowerShell 7 (separate stdout/stderr, an exit code, text
# on stdin, extra environment variables for the child only), which `& node …` cannot give in 5.1.

function ConvertTo-HcmCommandLineArgument {
    # Quotes one argument the way the Microsoft C runtime splits a command line (backslashes before
    # a quote doubled, quotes escaped), for .NET Framework, whose ProcessStartInfo has no ArgumentList.
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string] $Argument)
    if ($Argument -eq '') { return '""' }
    if ($Argument -notmatch '[\s"]') { return $Argument }
    $builder = New-Object System.Text.StringBuilder
    [void] $builder.Append('"')
    $backslashes = 0
    foreach ($character in $Argument.ToCharArray()) {
        if ($character -eq '\') { $backslashes++; continue }
        if ($character -eq '"') {
            [void] $builder.Append('\', 2 * $backslashes + 1)
            [void] $builder.Append('"')
        }
        else {
            if ($backslashes -gt 0) { [void] $builder.Append('\', $backslashes) }
            [void] $builder.Append($character)
        }
        $backslashes = 0
    }
    if ($backslashes -gt 0) { [void] $builder.Append('\', 2 * $backslashes) }
    [void] $builder.Append('"')
    return $builder.ToString()
}

function Invoke-HcmProcess {
    # Runs a program to completion; returns ExitCode, StdOut, StdErr. Never throws on a non-zero exit.
    param(
        [Parameter(Mandatory = $true)][string] $FilePath,
        [string[]] $ArgumentList = @(),
        [string] $InputText,
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 300
    )
    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $FilePath
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $utf8 = New-Object System.Text.UTF8Encoding($false)
    $startInfo.StandardOutputEncoding = $utf8
    $startInfo.StandardErrorEncoding = $utf8
    if ($startInfo.PSObject.Properties['StandardInputEncoding']) { $startInfo.StandardInputEncoding = $utf8 }
    if ($startInfo.PSObject.Properties['ArgumentList']) {
        foreach ($argument in $ArgumentList) { $startInfo.ArgumentList.Add($argument) }
    }
    else {
        $startInfo.Arguments = (@($ArgumentList | ForEach-Object { ConvertTo-HcmCommandLineArgument -Argument $_ }) -join ' ')
    }
    foreach ($name in $Environment.Keys) { $startInfo.EnvironmentVariables[$name] = [string] $Environment[$name] }

    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if ($PSBoundParameters.ContainsKey('InputText')) { $process.StandardInput.Write($InputText) }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill()
            throw "$FilePath did not finish within $TimeoutSeconds seconds."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
    }
    finally {
        $process.Dispose()
    }
}

function Test-HcmWindows {
    # $IsWindows does not exist in Windows PowerShell 5.1.
    return ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT)
}

function Resolve-HcmFullPath {
    # A full path for a parameter, relative to PowerShell's current location (not the process's,
    # which is what [System.IO.Path]::GetFullPath would use); the path need not exist.
    param([Parameter(Mandatory = $true)][string] $Path)
    return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}
