# Speaks its arguments, as words, with the Windows system voice, then exits.
# backcoach runs it for each spoken cue (`backcoach run --voice` on Windows) and stops it when
# the next cue starts. The words arrive as arguments to this file (-File), never as code.
Add-Type -AssemblyName System.Speech
$voice = New-Object System.Speech.Synthesis.SpeechSynthesizer
$voice.Speak(($args -join ' '))
