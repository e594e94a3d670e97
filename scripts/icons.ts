/**
 * Regenerates the application icons from `build/icon.svg` (`npm run icons`): `build/icon.png`
 * (512×512, from which electron-builder derives the Windows .ico and the macOS .icns) and the Linux
 * icon set `build/icons/<size>x<size>.png` (512 and 256). Rendered with sharp (librsvg); run it after
 * editing the SVG and commit the PNGs.
 */
import path from 'node:path';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../build');

/** Square PNG sizes written to `build/icons/`, pixels. */
export const ICON_SIZES = [512, 256] as const;

/**
 * Renders `svgFile` into `outDir`: `icon.png` (512×512) and `icons/<n>x<n>.png` for each of ICON_SIZES.
 * @returns the files written, absolute paths
 */
export async function renderIcons(svgFile: string, outDir: string): Promise<string[]> {
  const written: string[] = [];
  const render = async (size: number, file: string) => {
    // density scales the SVG's 512-unit viewBox so sharp rasterises at (at least) the target size.
    await sharp(svgFile, { density: Math.max(72, (72 * size) / 512) * 2 })
      .resize(size, size)
      .png({ compressionLevel: 9 })
      .toFile(file);
    written.push(file);
  };
  await render(512, path.join(outDir, 'icon.png'));
  for (const size of ICON_SIZES) await render(size, path.join(outDir, 'icons', `${size}x${size}.png`));
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await renderIcons(path.join(buildDir, 'icon.svg'), buildDir);
  console.log(`icons: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
}
