/**
 * Announces a new call in the waiting room: a two-tone chime (Web Audio) then the spoken
 * "<label>, <room>" (speechSynthesis). Browsers may block audio until someone touches the page
 * (Electron's display window allows it); every step fails quietly so the screen itself never breaks.
 */
let context: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (context) return context;
  try {
    context = new AudioContext();
  } catch {
    context = null;
  }
  return context;
}

/** Resumes audio after a user gesture (registered once by the page). */
export function unlockAudio(): void {
  const ctx = audioContext();
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

/** Plays "ding-dong" (880 Hz then 660 Hz, ~0.9 s); resolves when done or when audio is unavailable. */
export async function chime(): Promise<void> {
  const ctx = audioContext();
  if (!ctx) return;
  if (ctx.state === 'suspended') {
    try {
      await Promise.race([ctx.resume(), new Promise((resolve) => setTimeout(resolve, 300))]);
    } catch {
      return;
    }
  }
  if (ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.02;
  const tone = (freq: number, at: number, length: number) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + length + 0.05);
  };
  tone(880, start, 0.45);
  tone(660, start + 0.42, 0.55);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** Queues `text` for speech in `lang` ('pt-PT' or 'en-GB'), with a matching voice when installed. */
export function speak(text: string, lang: string): void {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined') return;
  try {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    const voices = speechSynthesis.getVoices();
    const voice =
      voices.find((v) => v.lang === lang) ?? voices.find((v) => v.lang.startsWith(lang.slice(0, 2)));
    if (voice) utterance.voice = voice;
    speechSynthesis.speak(utterance);
  } catch {
    // no speech engine: the chime and the screen still announce the call
  }
}
