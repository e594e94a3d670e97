/** Debian's Chromium driven by Playwright (never a downloaded browser), optionally with a fake camera. */
import { chromium, type Browser } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** @param cameraClip absolute path of a .y4m or .mjpeg file the fake camera plays in a loop */
export function launchChromium(cameraClip?: string): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (cameraClip) {
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${cameraClip}`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
}
