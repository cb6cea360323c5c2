#pragma once
// A QR code as inline SVG, for pages a person prints: one path of the dark modules in module
// units, drawn without anti-aliasing, so it stays sharp at any printer's resolution and needs
// no image file beside the page.

#include <stdexcept>
#include <string>
#include <string_view>

namespace rosterd::daemon {

// `text` encoded by libqrencode (8-bit mode, error correction M, the smallest version that
// holds it), drawn `size_mm` wide with the standard quiet zone of 4 modules. Throws
// std::runtime_error when it does not fit in a QR code.
[[nodiscard]] std::string qr_svg(std::string_view text, double size_mm);

}  // namespace rosterd::daemon
