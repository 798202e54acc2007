"""The habit loop: reminders on a routine's schedule, what is due today, desk breaks.

`schedule` turns a routine, the settings and the command line into days and times;
`files` writes them as the files each scheduler reads (a calendar, systemd units, a launchd
agent, a crontab line); `install` puts them in place and takes them away again through an
injected runner; `due` says what is due today, fast enough for a shell prompt.

This package imports nothing at start-up: `backcoach due` reads its state file without it.
"""
