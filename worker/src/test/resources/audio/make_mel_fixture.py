#!/usr/bin/env python3
"""Reference mel windows for MelSpectrogramTest, computed with numpy/scipy the way FaceFusion's audio.py does it.

Run from this folder: python3 make_mel_fixture.py ../../../../../../shared/media/espeak_en_hello_16k.wav > espeak_hello_mel.json
The wav is read with scipy (not ffmpeg), so the Java side (ffmpeg decode, OpenCV DFT) is checked against an
independent path.
"""
import json
import sys

import numpy
import scipy.io.wavfile
import scipy.signal


def mel(hertz):
    return 2595 * numpy.log10(1 + hertz / 700)


def hertz(mels):
    return 700 * (10 ** (mels / 2595) - 1)


def mel_filter():
    bank = numpy.zeros((80, 401))
    bins = numpy.linspace(mel(55.0), mel(7600.0), 82)
    indices = numpy.floor(801 * hertz(bins) / 16000).astype(numpy.int64)
    for i in range(80):
        bank[i, indices[i]:indices[i + 1]] = scipy.signal.windows.triang(indices[i + 1] - indices[i])
    return bank


def main():
    rate, samples = scipy.io.wavfile.read(sys.argv[1])
    assert rate == 16000, rate
    audio = samples.astype(numpy.float64)
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    audio = audio / numpy.max(numpy.abs(audio))
    audio = scipy.signal.lfilter([1.0, -0.97], [1.0], audio)
    spectrum = numpy.abs(scipy.signal.stft(audio, nperseg=800, noverlap=600, nfft=800)[2])
    spectrogram = mel_filter().dot(spectrum)
    fps = 25
    columns = spectrogram.shape[1]
    windows = {}
    last = (columns - 17) * fps // 80
    for frame in [0, 1, 7, 100, last]:
        start = frame * 80 // fps
        window = spectrogram[:, start:start + 16]
        prepared = numpy.clip(numpy.log10(numpy.maximum(1e-5, window)) * 1.6 + 3.2, -4, 4)
        windows[str(frame)] = [round(float(v), 6) for v in prepared.flatten()]
    json.dump({
        "file": "espeak_en_hello_16k.wav",
        "samples": int(len(audio)),
        "columns": int(columns),
        "fps": fps,
        "columnSums": [round(float(v), 6) for v in spectrogram.sum(axis=0)],
        "windows": windows,
    }, sys.stdout)


if __name__ == "__main__":
    main()
