#include "daemon/qr_svg.h"

#include <qrencode.h>

#include <memory>
#include <sstream>

namespace rosterd::daemon {

namespace {

constexpr int quiet_zone = 4;  // modules of light margin a reader needs around the code

struct QrFree {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

}  // namespace

std::string qr_svg(std::string_view text, double size_mm) {
  const std::string data(text);  // libqrencode wants a NUL-terminated string
  std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeData(static_cast<int>(data.size()),
                        reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M));
  if (!code) throw std::runtime_error("a link of " + std::to_string(data.size()) +
                                      " bytes does not fit in a QR code");
  const int width = code->width;
  const int total = width + 2 * quiet_zone;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << total << ' ' << total
      << "\" width=\"" << size_mm << "mm\" height=\"" << size_mm
      << "mm\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"" << total
      << "\" height=\"" << total << "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One rectangle per horizontal run of dark modules (bit 0 of each byte: dark).
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code->data + static_cast<std::ptrdiff_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (row[x + run] & 1) != 0) ++run;
      svg << 'M' << x + quiet_zone << ' ' << y + quiet_zone << 'h' << run << "v1h-" << run << 'z';
      x += run;
    }
  }
  svg << "\"/></svg>";
  return svg.str();
}

}  // namespace rosterd::daemon
