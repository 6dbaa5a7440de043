#!/usr/bin/env python3
"""Generate click.wav: the kiosk's key-press sound (written for this project,
no third-party audio). A 25 ms, 1.8 kHz sine blip with a 1 ms attack and an
exponential decay, 22050 Hz mono 16-bit PCM (about 1.1 KB). Public domain /
same license as the project.

    python3 assets/sounds/make_click.py assets/sounds/click.wav
"""
import math
import struct
import sys
import wave

RATE = 22050
DUR = 0.025
FREQ = 1800.0


def main(path):
    n = int(RATE * DUR)
    frames = bytearray()
    for i in range(n):
        t = i / RATE
        attack = min(1.0, t / 0.001)
        env = attack * math.exp(-t / 0.006)
        v = 0.55 * env * math.sin(2 * math.pi * FREQ * t)
        frames += struct.pack("<h", int(round(v * 32767)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "click.wav")
