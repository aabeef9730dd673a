/// Self-contained SVG charts (no dependencies): a line chart with optional markers, and a
/// histogram. A person opens them in any browser.
struct SVGChart {
    struct Series {
        var label: String
        var points: [(Double, Double)]
        var color: String
        var dots = false
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func number(_ v: Double) -> String {
        if abs(v) >= 1000 || v == v.rounded() { return String(Int(v.rounded())) }
        return String(format: "%.2f", v)
    }

    /// A line chart; `markers` are vertical lines at x with a label (schedule changes).
    static func lines(title: String, xLabel: String, yLabel: String, series: [Series], markers: [(Double, String)] = []) -> String {
        let width = 900.0, height = 420.0, left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return "<svg xmlns='http://www.w3.org/2000/svg' width='900' height='100'><text x='10' y='50'>no data</text></svg>" }
        var x0 = all.map(\.0).min()!, x1 = all.map(\.0).max()!
        var y0 = all.map(\.1).min()!, y1 = all.map(\.1).max()!
        for (x, _) in markers { x0 = min(x0, x); x1 = max(x1, x) }
        if x1 == x0 { x1 = x0 + 1 }
        if y1 == y0 { y1 = y0 + 1 }
        let pad = (y1 - y0) * 0.05
        y0 -= pad; y1 += pad
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (y1 - y) / (y1 - y0) * (height - top - bottom) }
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(width))' height='\(Int(height))' font-family='sans-serif' font-size='12'>\n"
        svg += "<rect width='100%' height='100%' fill='white'/>\n"
        svg += "<text x='\(width / 2)' y='22' text-anchor='middle' font-size='15'>\(escape(title))</text>\n"
        for k in 0...5 {
            let y = y0 + (y1 - y0) * Double(k) / 5, x = x0 + (x1 - x0) * Double(k) / 5
            svg += "<line x1='\(left)' x2='\(width - right)' y1='\(py(y))' y2='\(py(y))' stroke='#eee'/>"
            svg += "<text x='\(left - 6)' y='\(py(y) + 4)' text-anchor='end'>\(number(y))</text>\n"
            svg += "<text x='\(px(x))' y='\(height - bottom + 18)' text-anchor='middle'>\(number(x))</text>\n"
        }
        svg += "<rect x='\(left)' y='\(top)' width='\(width - left - right)' height='\(height - top - bottom)' fill='none' stroke='#888'/>\n"
        svg += "<text x='\(width / 2)' y='\(height - 10)' text-anchor='middle'>\(escape(xLabel))</text>\n"
        svg += "<text transform='translate(16 \(height / 2)) rotate(-90)' text-anchor='middle'>\(escape(yLabel))</text>\n"
        for (x, label) in markers {
            svg += "<line x1='\(px(x))' x2='\(px(x))' y1='\(top)' y2='\(height - bottom)' stroke='#c00' stroke-dasharray='5,4'/>"
            svg += "<text x='\(px(x) + 4)' y='\(top + 14)' fill='#c00'>\(escape(label))</text>\n"
        }
        for (k, s) in series.enumerated() {
            if s.dots {
                for (x, y) in s.points { svg += "<circle cx='\(px(x))' cy='\(py(y))' r='3' fill='\(s.color)'/>" }
            } else {
                let path = s.points.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
                svg += "<polyline fill='none' stroke='\(s.color)' stroke-width='1.5' points='\(path)'/>\n"
            }
            svg += "<rect x='\(left + 10)' y='\(top + 8 + Double(k) * 16)' width='12' height='3' fill='\(s.color)'/>"
            svg += "<text x='\(left + 28)' y='\(top + 13 + Double(k) * 16)'>\(escape(s.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A histogram of latencies (bucket lower edge ns, count), log-scaled x, with percentiles.
    static func histogram(title: String, buckets: [(Int, Int)], percentiles: [(String, Int)]) -> String {
        let width = 900.0, height = 360.0, left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        guard let first = buckets.first, let last = buckets.last else {
            return "<svg xmlns='http://www.w3.org/2000/svg' width='900' height='100'><text x='10' y='50'>no samples</text></svg>"
        }
        let lx0 = log10(Double(max(first.0, 1))), lx1 = max(log10(Double(max(last.0, 1)) * 1.04), lx0 + 1)
        let maxCount = Double(buckets.map(\.1).max()!)
        func px(_ v: Double) -> Double { left + (log10(max(v, 1)) - lx0) / (lx1 - lx0) * (width - left - right) }
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(width))' height='\(Int(height))' font-family='sans-serif' font-size='12'>\n"
        svg += "<rect width='100%' height='100%' fill='white'/>\n"
        svg += "<text x='\(width / 2)' y='22' text-anchor='middle' font-size='15'>\(escape(title))</text>\n"
        for (edge, count) in buckets {
            let x = px(Double(edge)), w = max(px(Double(edge) * 1.031) - x, 1)
            let h = Double(count) / maxCount * (height - top - bottom)
            svg += "<rect x='\(x)' y='\(height - bottom - h)' width='\(w)' height='\(h)' fill='#3a7'/>"
        }
        var decade = pow(10, floor(lx0))
        while log10(decade) <= lx1 {
            if log10(decade) >= lx0 {
                svg += "<text x='\(px(decade))' y='\(height - bottom + 18)' text-anchor='middle'>\(format(Int(decade)))</text>"
                svg += "<line x1='\(px(decade))' x2='\(px(decade))' y1='\(height - bottom)' y2='\(height - bottom + 5)' stroke='#888'/>"
            }
            decade *= 10
        }
        for (k, (label, value)) in percentiles.enumerated() {
            svg += "<line x1='\(px(Double(value)))' x2='\(px(Double(value)))' y1='\(top)' y2='\(height - bottom)' stroke='#c00' stroke-dasharray='3,3'/>"
            svg += "<text x='\(px(Double(value)) + 3)' y='\(top + 12 + Double(k) * 14)' fill='#c00'>\(label) \(format(value))</text>\n"
        }
        svg += "<line x1='\(left)' x2='\(width - right)' y1='\(height - bottom)' y2='\(height - bottom)' stroke='#888'/>"
        svg += "<text x='\(width / 2)' y='\(height - 10)' text-anchor='middle'>latency (log scale)</text>\n"
        return svg + "</svg>\n"
    }
}

import Foundation
import Runtime
