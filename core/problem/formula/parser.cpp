// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/problem/formula/parser.h"

#include "core/problem/formula/error.h"
#include "core/problem/formula/ops.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sobolev::formula {

namespace {

constexpr int maxNesting = 100;
constexpr int maxLiteralDigits = 300;
constexpr int maxLiteralExponent = 300;

bool isDigit(char c) {
    return std::isdigit(static_cast<unsigned char>(c));
}

// A recursive-descent reader of the grammar in expression.h.
class Parser {
  public:
    explicit Parser(std::string_view text) : m_text(text) {}

    Node read() {
        next();
        if (m_kind == End)
            throw FormulaError{"the formula is empty; type f(x), e.g. sin(3*x)*exp(-x^2)"};
        Node e = sum();
        if (m_kind != End)
            unexpected("an operator or the end");
        return e;
    }

  private:
    enum Kind { Number, Name, Plus, Minus, Times, Divide, Power, Open, Close, Comma, End };

    [[noreturn]] void unexpected(const std::string& expected) {
        if (m_kind == End)
            throw FormulaError{"unexpected end of input" + at(m_column) + "; expected " + expected};
        std::string message =
            "unexpected '" + m_token + "'" + at(m_column) + "; expected " + expected;
        if ((m_kind == Name || m_kind == Number || m_kind == Open) && m_previous == Number)
            message += " (write 2*x for a product)";
        throw FormulaError{message};
    }

    void next();
    std::size_t numberEnd(std::size_t pos) const;
    Kind symbol(unsigned char c);

    void enter() {
        if (++m_depth > maxNesting)
            throw FormulaError{"the formula nests deeper than " + std::to_string(maxNesting) +
                               " levels" + at(m_column)};
    }

    // operand (op operand)*, for sums (Plus, Minus) and products (Times, Divide).
    Node chain(Node::Kind kind, Kind plus, Kind minus, Node (Parser::*operand)()) {
        Node e = (this->*operand)();
        if (m_kind != plus && m_kind != minus)
            return e;
        Node result{.kind = kind};
        result.operands.push_back(std::move(e));
        while (m_kind == plus || m_kind == minus) {
            result.operators.emplace_back(m_token.front(), m_column);
            next();
            result.operands.push_back((this->*operand)());
        }
        return result;
    }

    Node sum() {
        enter();
        Node e = chain(Node::Sum, Plus, Minus, &Parser::product);
        --m_depth;
        return e;
    }

    Node product() { return chain(Node::Product, Times, Divide, &Parser::unary); }

    Node unary() {
        if (m_kind == Minus || m_kind == Plus) {
            const bool minus = m_kind == Minus;
            enter();
            next();
            Node e = unary();
            --m_depth;
            if (!minus)
                return e;
            Node negated{.kind = Node::Negate};
            negated.operands.push_back(std::move(e));
            return negated;
        }
        return power();
    }

    Node power() {
        const std::size_t start = m_column - 1;
        Node base = primary();
        if (m_kind != Power)
            return base;
        Node result{.kind = Node::Power, .column = m_column};
        enter();
        next();
        Node exponent = unary(); // right associative: x^2^3 = x^(2^3)
        --m_depth;
        result.start = start;
        result.end = m_lastEnd;
        result.operands.push_back(std::move(base));
        result.operands.push_back(std::move(exponent));
        return result;
    }

    Node primary();
    Node call(int function, const std::string& name, std::size_t column);
    Node number(std::size_t column) const;

    std::string_view m_text;
    std::size_t m_pos = 0, m_column = 1, m_lastEnd = 0;
    Kind m_kind = End, m_previous = End;
    std::string m_token;
    int m_depth = 0;
};

void Parser::next() {
    m_previous = m_kind;
    m_lastEnd = m_pos;
    while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
        ++m_pos;
    m_column = m_pos + 1;
    if (m_pos >= m_text.size()) {
        m_kind = End;
        m_token.clear();
        return;
    }
    const std::size_t start = m_pos;
    const unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
    if (isDigit(char(c)) || (c == '.' && m_pos + 1 < m_text.size() && isDigit(m_text[m_pos + 1]))) {
        m_pos = numberEnd(m_pos);
        m_kind = Number;
    } else if (std::isalpha(c) || c == '_') {
        while (m_pos < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
            ++m_pos;
        m_kind = Name;
    } else {
        ++m_pos;
        m_kind = symbol(c);
    }
    m_token = std::string(m_text.substr(start, m_pos - start));
}

// The end of the number starting at `pos`: digits, a '.', digits, and an exponent e-3 or E+5
// when digits follow the e.
std::size_t Parser::numberEnd(std::size_t pos) const {
    while (pos < m_text.size() && isDigit(m_text[pos]))
        ++pos;
    if (pos < m_text.size() && m_text[pos] == '.')
        ++pos;
    while (pos < m_text.size() && isDigit(m_text[pos]))
        ++pos;
    if (pos < m_text.size() && (m_text[pos] == 'e' || m_text[pos] == 'E')) {
        std::size_t p = pos + 1;
        if (p < m_text.size() && (m_text[p] == '+' || m_text[p] == '-'))
            ++p;
        if (p < m_text.size() && isDigit(m_text[p])) {
            pos = p;
            while (pos < m_text.size() && isDigit(m_text[pos]))
                ++pos;
        }
    }
    return pos;
}

// An operator, a parenthesis or a comma, the character c read (** is a power).
Parser::Kind Parser::symbol(unsigned char c) {
    switch (c) {
    case '+':
        return Plus;
    case '-':
        return Minus;
    case '*':
        if (m_pos < m_text.size() && m_text[m_pos] == '*') {
            ++m_pos;
            return Power;
        }
        return Times;
    case '/':
        return Divide;
    case '^':
        return Power;
    case '(':
        return Open;
    case ')':
        return Close;
    case ',':
        return Comma;
    default:
        break;
    }
    if (c < 0x20 || c >= 0x7f)
        throw FormulaError{"unexpected character (byte " + std::to_string(int(c)) + ")" +
                           at(m_column) +
                           "; a formula uses x, numbers, + - * / ^, parentheses and "
                           "functions"};
    throw FormulaError{"unexpected character '" + std::string(1, char(c)) + "'" + at(m_column) +
                       "; a formula uses x, numbers, + - * / ^, parentheses and "
                       "functions"};
}

Node Parser::primary() {
    const std::size_t column = m_column;
    if (m_kind == Number) {
        Node n = number(column);
        next();
        return n;
    }
    if (m_kind == Open) {
        enter();
        next();
        Node e = sum();
        if (m_kind != Close)
            unexpected("')' to close the '(' at column " + std::to_string(column));
        --m_depth;
        next();
        return e;
    }
    if (m_kind != Name)
        unexpected("a number, x, a function or '('");
    const std::string name = m_token;
    next();
    if (const int function = typedFunction(name); function >= 0)
        return call(function, name, column);
    if (m_kind == Open)
        throw FormulaError{"unknown function '" + name + "'" + at(column) +
                           " (functions: " + functionNames() + ")"};
    if (name == "x")
        return {.kind = Node::X, .column = column};
    if (name == "pi" || name == "Pi")
        return {.kind = Node::Pi, .column = column};
    if (name == "e")
        return {.kind = Node::E, .column = column};
    throw FormulaError{"unknown name '" + name + "' (the variable is x)" + at(column)};
}

// name(argument), the name read.
Node Parser::call(int function, const std::string& name, std::size_t column) {
    if (m_kind != Open)
        throw FormulaError{"'" + name + "'" + at(column) + " is a function: write " + name +
                           "(...)"};
    enter();
    const std::size_t open = m_column;
    next();
    Node argument = sum();
    if (m_kind == Comma)
        throw FormulaError{"'" + name + "' takes one argument; got a second one" + at(m_column)};
    if (m_kind != Close)
        unexpected("')' to close the '(' at column " + std::to_string(open));
    --m_depth;
    next();
    Node result{.kind = Node::Call, .column = column, .function = function};
    result.start = column - 1;
    result.end = m_lastEnd;
    result.operands.push_back(std::move(argument));
    return result;
}

// The number token read as digits × 10^scale, bounded so that GiNaC gets no huge numbers.
Node Parser::number(std::size_t column) const {
    const std::string& token = m_token;
    Node n{.kind = Node::Number, .column = column};
    bool fraction = false;
    std::size_t i = 0;
    for (; i < token.size() && token[i] != 'e' && token[i] != 'E'; ++i) {
        if (token[i] == '.') {
            fraction = true;
            continue;
        }
        n.digits += token[i];
        if (fraction)
            --n.scale;
    }
    if (i < token.size()) {
        const std::string exponent = token.substr(i + 1);
        if (exponent.size() > 5)
            throw FormulaError{"number too large" + at(column) + "; numbers are limited to 1e300"};
        n.scale += std::stoi(exponent);
    }
    const std::size_t first = n.digits.find_first_not_of('0');
    n.digits = first == std::string::npos ? "0" : n.digits.substr(first);
    if (n.digits.size() > std::size_t(maxLiteralDigits) ||
        (n.digits != "0" && std::abs(n.scale + int(n.digits.size())) > maxLiteralExponent) ||
        std::abs(n.scale) > 2 * maxLiteralExponent)
        throw FormulaError{"number out of range" + at(column) +
                           "; numbers are limited to 1e-300 to 1e300 and 300 digits"};
    return n;
}

} // namespace

Node parse(std::string_view text) {
    return Parser(text).read();
}

std::string typedText(std::string_view text, std::size_t start, std::size_t end) {
    std::string typed(text.substr(start, end > start ? end - start : 0));
    typed.erase(
        std::remove_if(typed.begin(), typed.end(), [](unsigned char c) { return std::isspace(c); }),
        typed.end());
    return typed.size() > 40 ? typed.substr(0, 30) + "…" : typed;
}

} // namespace sobolev::formula
