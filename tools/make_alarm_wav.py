"""Write static/audio/alarm.wav: the alarm every station plays while an emergency is unanswered.

Three short beeps at two pitches and a pause, about a second in all, mono 8 kHz 8-bit: a few KB that
the browser loops (static/js/alarm.js). Made with the standard library only, so it can be made again
and checked: ``python tools/make_alarm_wav.py``.
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

RATE = 8000  # samples a second: enough for tones under 2 kHz, and small
OUT = Path(__file__).resolve().parent.parent / "static" / "audio" / "alarm.wav"
# (frequency in Hz, seconds); 0 Hz is silence.
PATTERN = [(1760, 0.12), (0, 0.06), (1320, 0.12), (0, 0.06), (1760, 0.12), (0, 0.5)]
VOLUME = 0.6
FADE = 0.005  # seconds of fade in and out, so the beeps do not click


def samples() -> bytes:
    out = bytearray()
    for frequency, seconds in PATTERN:
        count = int(RATE * seconds)
        fade = int(RATE * FADE)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade) if frequency else 0.0
            value = VOLUME * envelope * math.sin(2 * math.pi * frequency * i / RATE)
            out.append(128 + int(127 * value))  # 8-bit WAV samples are unsigned, silence at 128
    return bytes(out)


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(RATE)
        wav.writeframes(samples())
    print(f"{OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
