import { readFile } from 'node:fs/promises';
import { inputError } from '../../errors.js';

/**
 * WAV (RIFF/WAVE) decoder for machine-sound clips: PCM 8-bit unsigned,
 * 16/24/32-bit signed integer, 32/64-bit IEEE float, any channel count, and
 * WAVE_FORMAT_EXTENSIBLE headers (MIMII's 8-channel clips use them; the real
 * format is the first two bytes of the sub-format GUID). Samples are scaled to
 * [−1, 1): integers divide by 2^(bits−1). Unknown chunks (LIST, fact, …) are
 * skipped; chunks are word-aligned per the RIFF spec.
 */
export interface WavAudio {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  encoding: 'pcm' | 'float';
  /** Samples per channel. */
  frames: number;
  /** One array per channel, values in [−1, 1). */
  channelData: Float32Array[];
}

const formatPcm = 1;
const formatFloat = 3;
const formatExtensible = 0xfffe;

export function decodeWav(bytes: Uint8Array, fileLabel = '<buffer>'): WavAudio {
  const fail = (reason: string) =>
    inputError(`${fileLabel}: not a readable WAV file: ${reason}`, { details: { file: fileLabel } });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12) throw fail(`only ${bytes.byteLength} bytes, shorter than a RIFF header`);
  if (tag(0) !== 'RIFF')
    throw fail(
      tag(0) === 'RIFX' ? 'big-endian RIFX is not supported' : `starts with ${JSON.stringify(tag(0))}, not "RIFF"`,
    );
  if (tag(8) !== 'WAVE') throw fail(`RIFF form type is ${JSON.stringify(tag(8))}, not "WAVE"`);

  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let data: Uint8Array | undefined;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.byteLength)
        throw fail(`fmt chunk of ${size} bytes is truncated or too short`);
      let format = view.getUint16(body, true);
      if (format === formatExtensible) {
        if (size < 40) throw fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk has ${size} bytes, expected 40`);
        format = view.getUint16(body + 24, true);
      }
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (body + size > bytes.byteLength) {
        throw fail(`data chunk declares ${size} bytes but only ${bytes.byteLength - body} follow (truncated file?)`);
      }
      data = bytes.subarray(body, body + size);
      break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw fail('no fmt chunk before the data');
  if (!data) throw fail('no data chunk');
  const { format, channels, sampleRate, bits } = fmt;
  if (channels < 1) throw fail('fmt chunk declares 0 channels');
  if (sampleRate < 1) throw fail('fmt chunk declares a sample rate of 0');
  const encoding = format === formatPcm ? 'pcm' : format === formatFloat ? 'float' : undefined;
  if (!encoding) throw fail(`format tag ${format} is not PCM (1) or IEEE float (3); compressed WAV is not supported`);
  const supported = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!supported.includes(bits)) throw fail(`${bits}-bit ${encoding} samples are not supported`);
  const bytesPerSample = bits / 8;
  const blockAlign = bytesPerSample * channels;
  if (fmt.blockAlign !== blockAlign)
    throw fail(`block align ${fmt.blockAlign} does not match ${channels} × ${bits}-bit`);
  const frames = Math.floor(data.byteLength / blockAlign);
  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = sampleReader(dv, encoding, bits);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) (channelData[c] as Float32Array)[f] = read(f * blockAlign + c * bytesPerSample);
  }
  return { sampleRate, channels, bitsPerSample: bits, encoding, frames, channelData };
}

function sampleReader(dv: DataView, encoding: 'pcm' | 'float', bits: number): (offset: number) => number {
  if (encoding === 'float') return bits === 32 ? (o) => dv.getFloat32(o, true) : (o) => dv.getFloat64(o, true);
  switch (bits) {
    case 8:
      return (o) => (dv.getUint8(o) - 128) / 128;
    case 16:
      return (o) => dv.getInt16(o, true) / 32768;
    case 24:
      return (o) => {
        const v = dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16);
        return v / 8388608;
      };
    default:
      return (o) => dv.getInt32(o, true) / 2147483648;
  }
}

/** One channel by index, or the mean of all channels ('mix'). */
export function selectChannel(audio: WavAudio, channel: number | 'mix' = 0): Float32Array {
  if (channel === 'mix') {
    if (audio.channels === 1) return audio.channelData[0] as Float32Array;
    const out = new Float32Array(audio.frames);
    for (const data of audio.channelData)
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (data[i] as number);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / audio.channels;
    return out;
  }
  const data = audio.channelData[channel];
  if (!data) throw inputError(`channel ${channel} requested but the clip has ${audio.channels} channel(s)`);
  return data;
}

export async function readWavFile(path: string): Promise<WavAudio> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw inputError(`${path}: cannot read WAV file: ${(error as Error).message}`, {
      cause: error,
      details: { file: path },
    });
  }
  return decodeWav(bytes, path);
}
