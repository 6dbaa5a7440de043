#!/usr/bin/env python3
"""Generate chime.wav: the lobby board's call chime (written for this
project, no third-party audio). Two soft bell tones (E5 then C5, "ding-dong"),
each with a few decaying harmonics, 1.2 s, 22050 Hz mono 16-bit PCM (~53 KB).
Public domain / same license as the project.

    python3 assets/sounds/make_chime.py assets/sounds/chime.wav
"""
import math
import struct
import sys
import wave

RATE = 22050
DUR = 1.2


def bell(t, f):
    if t < 0:
        return 0.0
    attack = min(1.0, t / 0.004)
    v = 0.0
    for k, (mul, amp, dec) in enumerate(((1.0, 1.0, 0.45), (2.0, 0.35, 0.25), (3.01, 0.12, 0.15))):
        v += amp * math.exp(-t / dec) * math.sin(2 * math.pi * f * mul * t)
    return attack * v


def main(path):
    n = int(RATE * DUR)
    frames = bytearray()
    for i in range(n):
        t = i / RATE
        v = 0.32 * (bell(t, 659.25) + bell(t - 0.45, 523.25))
        v = max(-1.0, min(1.0, v))
        frames += struct.pack("<h", int(round(v * 32767)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "chime.wav")
