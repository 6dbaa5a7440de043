/* ui_probe.h — the doctor's display check (probe.h).
 *
 *   display  the video driver the kiosk would use here works: the one
 *            SDL_VIDEODRIVER names, else this session's Wayland or X11,
 *            else what the service uses (kmsdrm, or cage when
 *            bapas-kiosk-cage.service is enabled). For kmsdrm: a DRM device
 *            the service user may open, a connected screen, input devices,
 *            no desktop login taking the screen, and the libraries KMSDRM
 *            draws with (libEGL, libGLESv2, libgbm dlopen'ed as SDL does, and
 *            a Mesa *_dri.so driver), naming the Debian packages to install.
 *
 * The display is never opened: only the environment, /dev/dri, /dev/input
 * and /sys/class/drm are looked at. No SDL: this is its own small library
 * (bk_ui_probe), so bapasctl does not link the toolkit.
 */
#ifndef BK_UI_PROBE_H
#define BK_UI_PROBE_H

#include "probe.h"

void ui_probe_display(probe_report *r);

#endif
