/**
 * The live camera preview: mirrored like a mirror (people expect that), with an oval face guide and the
 * face box from the server's last answer. The box comes in frame pixels of the unmirrored 640×480
 * frame, so it is mirrored here too: x' = frameWidth − x − width.
 */
import { useEffect, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { FaceBox, Hint } from './store.ts';

interface Props {
  videoRef: RefObject<HTMLVideoElement | null>;
  stream: MediaStream | null;
  face: FaceBox | null;
  frame: { width: number; height: number };
  hint: Hint;
}

/**
 * Renders the mirrored `<video>` playing `stream` plus an SVG overlay in `frame` coordinates (px): the oval
 * guide, tinted by `hint` (good on 'hold', warn on 'closer'/'one'), and `face`'s box when there is one.
 */
export function CameraStage({ videoRef, stream, face, frame, hint }: Props) {
  const { t } = useTranslation();

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    // React sets `muted` as a property only; the attribute matters for autoplay policies and tests.
    video.setAttribute('muted', '');
    if (video.srcObject !== stream) video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined);
  }, [videoRef, stream]);

  const { width: fw, height: fh } = frame;
  const box = face
    ? { x: fw - face.x - face.width, y: face.y, width: face.width, height: face.height }
    : null;
  const tone = hint === 'hold' ? 'good' : hint === 'look' ? 'neutral' : 'warn';

  return (
    <div className="stage">
      <video
        ref={videoRef}
        data-testid="kiosk-video"
        className="stage__video"
        autoPlay
        muted
        playsInline
        aria-label={t('kiosk.videoLabel')}
      />
      <svg
        className={`stage__overlay stage__overlay--${tone}`}
        viewBox={`0 0 ${fw} ${fh}`}
        preserveAspectRatio="xMidYMid slice"
        aria-hidden="true"
      >
        <defs>
          <mask id="oval-cutout">
            <rect width={fw} height={fh} fill="white" />
            <ellipse cx={fw / 2} cy={fh * 0.47} rx={fw * 0.2} ry={fh * 0.36} fill="black" />
          </mask>
        </defs>
        <rect width={fw} height={fh} className="stage__shade" mask="url(#oval-cutout)" />
        <ellipse cx={fw / 2} cy={fh * 0.47} rx={fw * 0.2} ry={fh * 0.36} className="stage__guide" />
        {box && (
          <rect
            data-testid="kiosk-face-box"
            x={box.x}
            y={box.y}
            width={box.width}
            height={box.height}
            rx={8}
            className="stage__face"
          />
        )}
      </svg>
    </div>
  );
}
