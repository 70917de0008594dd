package io.flowtap.expr;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expression language on two hand-built flows ({@link TestFlow#WEB}, {@link TestFlow#DNS}):
 * each row gives an expression and whether it matches each flow, worked out by hand from the flows'
 * attributes.
 */
class ExpressionTest {
    private static final AddressGroups GROUPS =
            AddressGroups.of(
                    Map.of(
                            "google", List.of("142.250.0.0/15", "2607:f8b0::/32"),
                            "resolvers", List.of("fd00::1", "9.9.9.9"),
                            "gateways", List.of("02:00:5e:00:00:01")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiterString = " -> ",
            quoteCharacter = '"',
            textBlock =
                    """
                    * -> true -> true
                    *; -> true -> true
                    ai:netify.google -> true -> false
                    ai:NETIFY.GOOGLE -> true -> false
                    ai:10909 -> true -> false
                    ai:10909.netify.google -> true -> false
                    !ai:netify.google -> false -> true
                    ai:netify.facebook -> false -> false
                    pi:HTTP/S -> true -> false
                    pi:dns -> false -> true
                    pi:5 -> false -> true
                    !pi:5 -> true -> false
                    ac:search-engine -> true -> false
                    ac:23 -> true -> false
                    pc:web -> true -> false
                    app == 'netify.google'; -> true -> false
                    application == 'netify.google'; -> true -> false
                    app != 'netify.google'; -> false -> true
                    app == 10909; -> true -> false
                    app_id == 10909; -> true -> false
                    app_id > 0; -> true -> false
                    app == 'rx:^netify\\.goo'; -> true -> false
                    category == 'search-engine'; -> true -> false
                    application_category == 23; -> true -> false
                    protocol == 'HTTP/S'; -> true -> false
                    proto == 'http/s'; -> true -> false
                    proto_id == 196; -> true -> false
                    protocol_id <= 5; -> false -> true
                    protocol_category == 'web'; -> true -> false
                    detected_hostname == 'www.google.com'; -> true -> false
                    detected_hostname == 'WWW.Google.COM'; -> true -> false
                    detected_hostname == 'rx:\\.google\\.com$'; -> true -> false
                    detected_hostname == 'rx:^example'; -> false -> true
                    detected_hostname != 'rx:google'; -> false -> true
                    dns_hostname == ''; -> false -> true
                    local_ip == 192.168.1.10; -> true -> false
                    local_ip == 192.168.1.0/24; -> true -> false
                    local_ip == 192.168.0.0/16 && other_port == 443; -> true -> false
                    local_ip != 10.0.0.0/8; -> true -> true
                    local_ip == 0.0.0.0/0; -> true -> false
                    local_ip == fd00::10; -> false -> true
                    local_ip == fd00::/8; -> false -> true
                    other_ip == ::/0; -> false -> true
                    other_ip == 142.250.80.14; -> true -> false
                    other_ip == '142.250.80.14'; -> true -> false
                    other_ip == 142.250.80.15; -> false -> false
                    other_ip == 142.250.80.0/23; -> true -> false
                    other_ip == @google; -> true -> false
                    other_ip == @resolvers; -> false -> true
                    other_ip != @google; -> false -> true
                    local_mac == 02:00:c0:a8:01:0a; -> true -> false
                    local_mac == 02-00-C0-A8-01-0A; -> true -> false
                    other_mac == @gateways; -> true -> false
                    other_mac != 02:00:00:00:00:01; -> true -> false
                    local_port == 51515; -> true -> false
                    local_port > 1023 and other_port < 1024; -> true -> true
                    other_port == 443 || other_port == 53; -> true -> true
                    other_port >= 443; -> true -> false
                    other_port != 53; -> true -> false
                    ip_protocol == 6; -> true -> false
                    ip_protocol == 17 && other_port == 53; -> false -> true
                    other_type == other_remote; -> true -> false
                    other_type == other_local; -> false -> true
                    other_type != other_remote; -> false -> true
                    other_type == 'remote'; -> true -> false
                    origin == origin_local; -> true -> false
                    origin == origin_other; -> false -> true
                    vlan_id == 10; -> true -> false
                    vlan_id == 0; -> false -> true
                    tls_version == 0x0303; -> true -> false
                    tls_version >= 0x0304; -> false -> false
                    tls_version == 771; -> true -> false
                    ip_nat; -> false -> true
                    !ip_nat; -> true -> false
                    ip_nat == false; -> true -> false
                    ip_nat != true; -> true -> false
                    detection_complete; -> true -> false
                    detection_complete == true && !ip_nat; -> true -> false
                    !(other_port == 53); -> true -> false
                    !!ip_nat; -> false -> true
                    (other_port == 443 || other_port == 53) && ip_protocol == 17; -> false -> true
                    other_port == 443 || other_port == 53 && ip_protocol == 17; -> true -> true
                    (other_port == 443 or ip_nat) and vlan_id == 0; -> false -> true
                    ((((local_port > 0)))); -> true -> true
                    ai:netify.google || pi:DNS; -> true -> true
                    ai:netify.google && pi:DNS; -> false -> false
                    """)
    void matchesAsWorkedOutByHand(String expression, boolean web, boolean dns) throws Exception {
        // Jobs ship compiled expressions to their operators by Java serialization: test the copy.
        Expression e = serializedCopy(Expression.compile(expression, GROUPS));
        assertThat(e.test(TestFlow.WEB)).as("WEB").isEqualTo(web);
        assertThat(e.test(TestFlow.DNS)).as("DNS").isEqualTo(dns);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiterString = " -> ",
            quoteCharacter = '"',
            textBlock =
                    """
                    local_port == ; -> 15 -> a value was expected after '=='
                    local_prt == 1; -> 1 -> unknown attribute 'local_prt'
                    local_port == 'x'; -> 15 -> local_port takes a number, not a string
                    local_port == abc; -> 15 -> local_port takes a number, not 'abc'
                    other_port; -> 11 -> other_port needs a comparison
                    (other_port == 1; -> 17 -> ')' expected to close the '(' at column 1
                    other_port == 1); -> 16 -> unexpected ')'
                    other_port == 1 other_port == 2; -> 17 -> unexpected 'other_port'; join conditions with && or ||
                    detected_hostname == google; -> 22 -> 'google' is not a value of detected_hostname
                    detected_hostname == 'rx:('; -> 22 -> not a regular expression
                    detected_hostname > 'a'; -> 19 -> detected_hostname compares strings with == or != only
                    local_ip == 300.1.1.1; -> 13 -> '300.1.1.1' is not an IP address or network
                    local_ip == 10.0.0.0/33; -> 13 -> is not an IP address or network
                    local_ip > 10.0.0.1; -> 10 -> local_ip takes == or != only, not '>'
                    local_mac == 02:00:00:00:00; -> 14 -> is not a MAC address
                    other_ip == @nobody; -> 13 -> unknown address group '@nobody'
                    other_type == remote; -> 15 -> other_type takes other_
                    origin == origin_nowhere; -> 11 -> origin takes origin_
                    ip_nat == yes; -> 11 -> ip_nat takes true or false
                    detected_hostname == 'abc; -> 22 -> string not closed by '
                    local_port == 1 # 2; -> 17 -> unexpected character '#'
                    ai:; -> 1 -> 'ai:' names no application, protocol or category
                    ; -> 1 -> a condition was expected, not ';'
                    local_port == 99999999999999999999; -> 15 -> out of range
                    tls_version == 0xZZ; -> 16 -> is not a hex number
                    app > 'netify.google'; -> 5 -> application compares names with == or != only
                    """)
    void malformedExpressionsNameTheColumn(String expression, int column, String message) {
        assertThatThrownBy(() -> Expression.compile(expression, GROUPS))
                .isInstanceOfSatisfying(
                        ExpressionException.class,
                        e -> {
                            assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
                            assertThat(e.reason()).contains(message);
                            assertThat(e.expression()).isEqualTo(expression);
                            assertThat(e.getMessage())
                                    .startsWith("\"" + expression + "\": column " + column + ": ");
                        });
    }

    @Test
    void anEmptyExpressionIsAnError() {
        assertThatThrownBy(() -> Expression.compile("  "))
                .isInstanceOfSatisfying(
                        ExpressionException.class,
                        e -> {
                            assertThat(e.column()).isEqualTo(3);
                            assertThat(e.reason())
                                    .isEqualTo(
                                            "the expression ends where a condition was expected");
                        });
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        String deep = "(".repeat(10_000) + "ip_nat" + ")".repeat(10_000);
        assertThatThrownBy(() -> Expression.compile(deep))
                .hasMessageContaining("nested more than 64 levels deep");
        assertThatThrownBy(() -> Expression.compile("!".repeat(10_000) + "ip_nat"))
                .hasMessageContaining("nested more than 64 levels deep");
    }

    @Test
    void criteriaAreAnImplicitOrAndEmptyMatchesAll() {
        Criteria c = Criteria.compile(List.of("vlan_id == 10;", "other_port == 53;"), GROUPS);
        assertThat(c.test(TestFlow.WEB)).isTrue();
        assertThat(c.test(TestFlow.DNS)).isTrue();
        Criteria one = Criteria.compile(List.of("ip_nat == false;", "vlan_id == 10;"), GROUPS);
        assertThat(one.test(TestFlow.DNS)).isFalse();
        assertThat(Criteria.ALL.test(TestFlow.DNS)).isTrue();
    }

    @Test
    void badGroupMembersAreNamed() {
        assertThatThrownBy(() -> AddressGroups.of(Map.of("lan", List.of("10.0.0.0/8", "nope"))))
                .hasMessage(
                        "address group @lan: 'nope' is not an address, a network or a MAC"
                                + " address");
    }

    /** Any text compiles, or fails with an ExpressionException; a compiled one evaluates. */
    @FuzzTest(maxDuration = "1m")
    void anyText(byte[] data) {
        // Regexes come from the operator's configuration and are compiled by java.util.regex;
        // the fuzzer's regex-injection check would report every malformed one it makes.
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8).replace("rx:", "");
        Expression e;
        try {
            e = Expression.compile(text, GROUPS);
        } catch (ExpressionException expected) {
            return;
        }
        e.test(TestFlow.WEB);
        e.test(TestFlow.DNS);
    }

    private static Expression serializedCopy(Expression e) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (Expression) in.readObject();
        }
    }
}
