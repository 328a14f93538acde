<?xml version="1.0" encoding="UTF-8"?>
<!--
  compile.xsl - ISO Schematron to XSLT 3.0 compiler.

  Input   an ISO Schematron schema (http://purl.oclc.org/dsdl/schematron), queryBinding xslt2,
          xslt3 or xpath31 (all are compiled as XPath 3.1 / XSLT 3.0); or any other document,
          typically a RELAX NG schema generated from a TEI ODD, whose embedded sch:ns, sch:let,
          sch:pattern (and stray sch:rule) elements are gathered into one schema.
  Output  an XSLT 3.0 stylesheet. Run on a document, it writes SVRL
          (http://purl.oclc.org/dsdl/svrl): svrl:active-pattern, optionally svrl:fired-rule, and
          svrl:failed-assert / svrl:successful-report with @id, @role, @flag, @test, @location
          and svrl:text (plus svrl:diagnostic-reference / svrl:property-reference).
          Each failed-assert / successful-report also carries @schx:rule and @schx:pattern, the
          ids of its rule and pattern (namespace urn:x-toolkit:schematron), so that a caller can
          name the rule without reading the schema again.

  Parameters
    phase        the phase to run: '' (default) or '#DEFAULT' = the schema's @defaultPhase or
                 '#ALL' when it has none; '#ALL' = every pattern; otherwise a phase id.
    fired-rules  true() to write svrl:fired-rule for every rule that fires (off by default: it
                 makes the SVRL large and the toolkit does not need it).
    output       'xslt' (default): the validating stylesheet; 'schematron': only the gathered
                 schema - the rules embedded in a RELAX NG schema extracted as one ISO
                 Schematron schema, includes resolved (toolkit: schematron.extract_schematron).
    documents    the documents of the files that sch:include and sch:extends/@href name: the
                 compiler reads no file (Saxon runs it with file access refused). The caller
                 resolves each href, within the folders it allows, and marks the element with
                 @c:document (that file's position in this sequence) or @c:refused (why not);
                 it also replaces the href of each xsl:include / xsl:import by a data: URI that
                 holds the module, or marks it @c:refused.
    runtime      the document of runtime.xsl, whose declarations every generated stylesheet
                 gets.
    module-files the file URIs of the XSLT modules so inlined (space-separated), added to
                 @schx:dependencies.

  Every generated stylesheet declares the global parameter
    <xsl:param name="edition-context" as="document-node()?" select="()"/>
  through which the toolkit hands over its edition context document. A schema may declare a
  schema-level <sch:let name="edition-context" value="()"/> of its own, so that other
  Schematron processors (an XML editor) see the variable too; this compiler drops that let in
  favour of the parameter.

  Semantics implemented
    sch:ns (prefixes for all queries), sch:let at schema level (global xsl:param, overridable),
    in the active phase (global xsl:variable), in a pattern (evaluated once per document, with
    the document node as context, and tunnelled to the pattern's rules) and in a rule (local
    xsl:variable, in document order before the assertions); sch:pattern, sch:rule with the
    first-matching-rule-per-pattern semantics (each pattern is a mode; its rules become template
    rules with descending priorities); sch:assert / sch:report with @id, @role, @flag,
    @subject, @diagnostics, @properties (a rule's @role, @flag and @subject apply to its
    assertions that have none); messages with sch:value-of, sch:name, sch:emph, sch:dir,
    sch:span; sch:phase / sch:active; abstract rules and sch:extends (@rule, or @href naming an
    external rule); abstract patterns instantiated by @is-a with sch:param; sch:include
    (recursively, with an optional #fragment naming an element by @id / @xml:id; including a
    whole sch:schema includes its patterns, lets, phases, diagnostics and functions);
    sch:diagnostics / sch:diagnostic; sch:properties / sch:property; foreign top-level
    xsl:function, xsl:key, xsl:include and xsl:import elements are copied into the output (the
    last two with the data: URI the caller put in @href).

  Not implemented: pattern/@documents (rules always apply to the validated document).

  Source positions: every Schematron element is annotated with @c:origin = "document-URI#path"
  while it is gathered; the generated elements that hold its queries carry the same value as
  @schx:origin, so an XPath compile error reported for a line of the generated stylesheet can be
  traced back to the Schematron element (see toolkit/validate/schematron.py).
  The generated xsl:stylesheet also carries @schx:dependencies (the URIs of every schema file
  read, for cache invalidation) and @schx:uses-edition-context ('true' when any query mentions
  $edition-context).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:axsl="urn:x-toolkit:schematron:generated-xsl"
    xmlns:sch="http://purl.oclc.org/dsdl/schematron"
    xmlns:svrl="http://purl.oclc.org/dsdl/svrl"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:c="urn:x-toolkit:schematron:compiler"
    xmlns:schx="urn:x-toolkit:schematron"
    exclude-result-prefixes="c xs">

  <xsl:namespace-alias stylesheet-prefix="axsl" result-prefix="xsl"/>
  <xsl:output method="xml" indent="yes" encoding="UTF-8"/>

  <xsl:param name="phase" as="xs:string" select="''"/>
  <xsl:param name="fired-rules" as="xs:boolean" select="false()"/>
  <xsl:param name="output" as="xs:string" select="'xslt'"/>
  <!-- what the caller has read for the compiler, which reads no file itself (see c:load) -->
  <xsl:param name="documents" as="document-node()*" select="()"/>
  <xsl:param name="runtime" as="document-node()?" select="()"/>
  <xsl:param name="module-files" as="xs:string" select="''"/>


  <xsl:variable name="SCH" select="'http://purl.oclc.org/dsdl/schematron'"/>
  <xsl:variable name="XSL" select="'http://www.w3.org/1999/XSL/Transform'"/>
  <xsl:variable name="CONTEXT-PARAM" select="'edition-context'"/>
  <!-- Namespaces every generated stylesheet binds itself; sch:ns may not rebind them. -->
  <xsl:variable name="reserved-ns" as="map(xs:string, xs:string)" select="map{
      'xsl': 'http://www.w3.org/1999/XSL/Transform',
      'xs': 'http://www.w3.org/2001/XMLSchema',
      'svrl': 'http://purl.oclc.org/dsdl/svrl',
      'sch': 'http://purl.oclc.org/dsdl/schematron',
      'schx': 'urn:x-toolkit:schematron',
      'err': 'http://www.w3.org/2005/xqt-errors'}"/>

  <!-- ================================================================== entry -->

  <xsl:template match="/">
    <!-- (temporary documents, not bare elements: key() needs a document root) -->
    <xsl:variable name="gathered">
      <xsl:apply-templates select="*" mode="c:gather"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$output = 'schematron'">
        <xsl:apply-templates select="$gathered" mode="c:strip"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="normal">
          <xsl:apply-templates select="$gathered/sch:schema" mode="c:normalize"/>
        </xsl:variable>
        <xsl:apply-templates select="$normal/sch:schema" mode="c:generate"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the gathered schema without the compiler's annotations -->
  <xsl:mode name="c:strip" on-no-match="shallow-copy"/>
  <xsl:template match="@c:*" mode="c:strip"/>
  <xsl:template match="*" mode="c:strip">
    <xsl:copy copy-namespaces="no">
      <xsl:for-each select="namespace::*[not(. = 'urn:x-toolkit:schematron:compiler')]">
        <xsl:copy/>
      </xsl:for-each>
      <xsl:apply-templates select="@*, node()" mode="c:strip"/>
    </xsl:copy>
  </xsl:template>

  <!-- ================================================================== helpers -->

  <xsl:function name="c:fail" as="empty-sequence()">
    <xsl:param name="where" as="node()?"/>
    <xsl:param name="message" as="xs:string"/>
    <!-- a gathered copy knows its origin; a node of a schema file has one -->
    <xsl:variable name="origin" select="($where/ancestor-or-self::*[@c:origin][1]/@c:origin,
        $where[root(.) instance of document-node()][base-uri(root(.))] ! c:origin(.))[1]"/>
    <xsl:sequence select="error(QName('urn:x-toolkit:schematron:compiler', 'c:schema-error'),
        $message || (if ($origin) then ' [at ' || $origin || ']' else ''))"/>
  </xsl:function>

  <!-- An XPath to a node of a Schematron file, in the same notation as schx:location. -->
  <xsl:function name="c:path" as="xs:string">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="string-join(
        for $a in $n/ancestor-or-self::*
        return '/Q{' || namespace-uri($a) || '}' || local-name($a) || '['
               || count($a/preceding-sibling::*[node-name(.) eq node-name($a)]) + 1 || ']', '')"/>
  </xsl:function>

  <xsl:function name="c:origin" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:variable name="doc" select="root($n)"/>
    <xsl:sequence select="string((document-uri($doc), base-uri($doc), base-uri($n))[1]) || '#' || c:path($n)"/>
  </xsl:function>

  <!-- A constant for an attribute of a literal result element of the generated stylesheet,
       where braces would start an attribute value template. -->
  <xsl:function name="c:avt" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(replace(string($s), '\{', '{{'), '\}', '}}')"/>
  </xsl:function>

  <!-- The element a reference such as "other.sch#p1", "other.sch" or "#p1" names. The compiler
       reads no file: the caller has resolved every href to a file (confined to the folders it
       allows) and marked the referring element with @c:document, the position of that file's
       document in $documents, or with @c:refused, why it was not read. -->
  <xsl:function name="c:load" as="element()?">
    <xsl:param name="href" as="xs:string"/>
    <xsl:param name="from" as="element()"/>
    <xsl:variable name="frag" select="substring-after($href, '#')"/>
    <xsl:variable name="doc" as="document-node()?">
      <xsl:choose>
        <xsl:when test="$from/@c:refused">
          <xsl:sequence select="c:fail($from, 'sch:' || local-name($from) || ' href=&quot;' || $href
              || '&quot;: ' || $from/@c:refused)"/>
        </xsl:when>
        <xsl:when test="$from/@c:document">
          <xsl:sequence select="$documents[position() = xs:integer($from/@c:document)]"/>
        </xsl:when>
        <xsl:when test="substring-before($href || '#', '#') = ''">
          <xsl:sequence select="root($from)[. instance of document-node()]"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="c:fail($from, 'sch:' || local-name($from) || ' href=&quot;' || $href
              || '&quot;: the file was not read')"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="target" select="if ($frag) then ($doc//*[@id = $frag or @xml:id = $frag])[1] else $doc/*"/>
    <xsl:sequence select="if ($target) then $target else c:fail($from, 'sch:' || local-name($from)
        || ' href=&quot;' || $href || '&quot;: no element with id &quot;' || $frag || '&quot; in '
        || (if ($from/@c:document) then string(base-uri($doc)) else 'this schema'))"/>
  </xsl:function>

  <!-- Replace $name by the value of the abstract pattern's parameter of that name. -->
  <xsl:function name="c:substitute" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="params" as="element(sch:param)*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:analyze-string select="$text" regex="\$([\i-[:]][\c-[:]]*)">
        <xsl:matching-substring>
          <xsl:variable name="p" select="$params[@name = regex-group(1)][1]"/>
          <xsl:sequence select="if ($p) then string($p/@value) else ."/>
        </xsl:matching-substring>
        <xsl:non-matching-substring>
          <xsl:sequence select="."/>
        </xsl:non-matching-substring>
      </xsl:analyze-string>
    </xsl:variable>
    <xsl:sequence select="string-join($parts, '')"/>
  </xsl:function>

  <!-- ================================================================== 1. gather
       Result: one sch:schema with includes resolved and every Schematron element annotated
       with @c:origin. -->

  <xsl:template match="sch:schema" mode="c:gather">
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="c:include"/>
      <xsl:attribute name="c:origin" select="c:origin(.)"/>
      <xsl:apply-templates select="node()" mode="c:include">
        <xsl:with-param name="visited" tunnel="yes" select="string(base-uri(.))"/>
      </xsl:apply-templates>
    </xsl:copy>
  </xsl:template>

  <!-- Any other root: a host schema (RELAX NG, W3C XML Schema, ODD output) with embedded rules. -->
  <xsl:template match="*" mode="c:gather">
    <xsl:variable name="host" select="."/>
    <sch:schema queryBinding="xslt3" c:origin="{c:origin(.)}" c:embedded="true">
      <xsl:for-each-group select=".//sch:ns" group-by="@prefix">
        <xsl:apply-templates select="current-group()[1]" mode="c:include"/>
      </xsl:for-each-group>
      <xsl:apply-templates mode="c:include" select=".//sch:let[not(ancestor::sch:pattern
          or ancestor::sch:rule or ancestor::sch:phase)]"/>
      <xsl:apply-templates mode="c:include" select=".//sch:phase | .//sch:diagnostics | .//sch:properties
          | .//sch:pattern[not(ancestor::sch:pattern)]
          | .//(xsl:function | xsl:key)[not(ancestor::xsl:*)]"/>
      <xsl:for-each select=".//sch:rule[not(ancestor::sch:pattern)]">
        <sch:pattern c:origin="{c:origin(.)}">
          <xsl:apply-templates select="." mode="c:include"/>
        </sch:pattern>
      </xsl:for-each>
      <xsl:for-each select=".//(sch:assert | sch:report)[not(ancestor::sch:rule)]">
        <xsl:sequence select="c:fail(., 'sch:' || local-name() || ' outside any sch:rule: cannot tell where it applies')"/>
      </xsl:for-each>
    </sch:schema>
  </xsl:template>

  <xsl:mode name="c:include" on-no-match="shallow-copy"/>

  <xsl:template match="sch:*" mode="c:include">
    <xsl:copy>
      <xsl:apply-templates select="@*" mode="c:include"/>
      <xsl:attribute name="c:origin" select="c:origin(.)"/>
      <xsl:apply-templates select="node()" mode="c:include"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="sch:include" mode="c:include">
    <xsl:param name="visited" tunnel="yes" as="xs:string*"/>
    <xsl:variable name="target" select="c:load(string(@href), .)"/>
    <xsl:variable name="uri" select="string(base-uri($target))"/>
    <xsl:if test="$uri = $visited and not(root($target) is root(.))">
      <xsl:sequence select="c:fail(., 'sch:include href=&quot;' || @href || '&quot; includes itself (circular include)')"/>
    </xsl:if>
    <xsl:apply-templates mode="c:include" select="if ($target/self::sch:schema)
        then $target/(* except (sch:title, sch:p))
        else $target">
      <xsl:with-param name="visited" tunnel="yes" select="($visited, $uri)"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- extends/@href: the content of an external rule, as if it had been written here. -->
  <xsl:template match="sch:extends[@href]" mode="c:include">
    <xsl:param name="visited" tunnel="yes" as="xs:string*"/>
    <xsl:variable name="target" select="c:load(string(@href), .)"/>
    <xsl:if test="not($target/self::sch:rule)">
      <xsl:sequence select="c:fail(., 'sch:extends href=&quot;' || @href || '&quot; does not name a sch:rule')"/>
    </xsl:if>
    <xsl:apply-templates mode="c:include" select="$target/(* except sch:title)">
      <xsl:with-param name="visited" tunnel="yes" select="($visited, string(base-uri($target)))"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- (the caller has replaced the href of each module it read by a data: URI holding it) -->
  <xsl:template match="xsl:include/@href | xsl:import/@href" mode="c:include">
    <xsl:if test="../@c:refused">
      <xsl:sequence select="c:fail(.., name(..) || ' href=&quot;' || . || '&quot;: ' || ../@c:refused)"/>
    </xsl:if>
    <xsl:copy/>
  </xsl:template>
  <xsl:template match="xsl:*/@c:*" mode="c:include"/>

  <!-- ================================================================== 2. normalize
       Result: sch:schema with only what the generator needs, in this order:
       ns, schema lets, phase lets (c:phase-let), foreign xsl, diagnostics, properties, and the
       active concrete patterns (abstract patterns instantiated, abstract rules expanded). -->

  <xsl:key name="c:id" match="sch:*[@id]" use="@id"/>

  <xsl:template match="sch:schema" mode="c:normalize">
    <xsl:variable name="schema" select="."/>
    <xsl:variable name="chosen" select="if ($phase = ('', '#DEFAULT')) then (@defaultPhase[. != ''], '#ALL')[1] else $phase"/>
    <xsl:variable name="phase-el" select="sch:phase[@id = $chosen]"/>
    <xsl:if test="$chosen != '#ALL' and empty($phase-el)">
      <xsl:sequence select="c:fail(., 'phase &quot;' || $chosen || '&quot; is not defined in this schema'
          || (if (sch:phase) then '; its phases are: ' || string-join(sch:phase/@id, ', ') || ', #ALL' else ' (it has no phases; use #ALL)'))"/>
    </xsl:if>
    <xsl:variable name="active-ids" as="xs:string*" select="$phase-el/sch:active/@pattern/tokenize(.)"/>
    <xsl:for-each select="$active-ids[not(. = $schema/sch:pattern/@id)]">
      <xsl:sequence select="c:fail($phase-el, 'phase &quot;' || $chosen || '&quot; activates pattern &quot;' || . || '&quot;, which does not exist')"/>
    </xsl:for-each>
    <xsl:copy>
      <xsl:copy-of select="@*"/>
      <xsl:attribute name="c:phase" select="$chosen"/>
      <xsl:copy-of select="sch:title[1]"/>
      <xsl:copy-of select="sch:ns"/>
      <xsl:copy-of select="sch:let[not(@name = $CONTEXT-PARAM)]"/>
      <xsl:for-each select="$phase-el/sch:let">
        <xsl:copy>
          <xsl:copy-of select="@*, node()"/>
          <xsl:attribute name="c:phase-let" select="'true'"/>
        </xsl:copy>
      </xsl:for-each>
      <xsl:copy-of select="xsl:import"/>
      <xsl:copy-of select="(.//xsl:function | .//xsl:key | .//xsl:include)[not(ancestor::xsl:*)]"/>
      <sch:diagnostics>
        <xsl:copy-of select="sch:diagnostics/sch:diagnostic"/>
      </sch:diagnostics>
      <sch:properties>
        <xsl:copy-of select="sch:properties/sch:property"/>
      </sch:properties>
      <xsl:apply-templates mode="c:normalize"
          select="sch:pattern[not(@abstract = 'true')][$chosen = '#ALL' or @id = $active-ids]">
        <xsl:with-param name="schema" tunnel="yes" select="$schema"/>
      </xsl:apply-templates>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="sch:pattern[@is-a]" mode="c:normalize">
    <xsl:param name="schema" tunnel="yes" as="element(sch:schema)"/>
    <xsl:variable name="abstract" select="key('c:id', @is-a, $schema)[self::sch:pattern][@abstract = 'true']"/>
    <xsl:if test="empty($abstract)">
      <xsl:sequence select="c:fail(., 'sch:pattern is-a=&quot;' || @is-a || '&quot;: there is no abstract pattern with that id')"/>
    </xsl:if>
    <xsl:variable name="params" select="sch:param"/>
    <xsl:for-each select="$abstract/sch:param">
      <!-- (sch:param inside an abstract pattern only documents its parameters) -->
      <xsl:if test="not(@name = $params/@name) and not(@value)">
        <xsl:sequence select="c:fail(., 'pattern is-a=&quot;' || @is-a || '&quot; does not set parameter ' || @name)"/>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="instance" as="element(sch:pattern)">
      <sch:pattern>
        <xsl:copy-of select="$abstract/@* except $abstract/(@id, @abstract)"/>
        <xsl:copy-of select="@* except @is-a"/>
        <xsl:apply-templates select="$abstract/(node() except sch:param)" mode="c:substitute">
          <xsl:with-param name="params" tunnel="yes" select="($params, $abstract/sch:param[@value])"/>
        </xsl:apply-templates>
      </sch:pattern>
    </xsl:variable>
    <xsl:apply-templates select="$instance" mode="c:concrete"/>
  </xsl:template>

  <xsl:template match="sch:pattern" mode="c:normalize">
    <xsl:apply-templates select="." mode="c:concrete"/>
  </xsl:template>

  <xsl:mode name="c:substitute" on-no-match="shallow-copy"/>
  <xsl:template match="sch:*/@*[not(namespace-uri())][not(local-name() = ('id', 'abstract', 'is-a'))]"
      mode="c:substitute">
    <xsl:param name="params" tunnel="yes" as="element(sch:param)*"/>
    <xsl:attribute name="{local-name()}" select="c:substitute(., $params)"/>
  </xsl:template>

  <!-- A concrete pattern: abstract rules dropped, extends replaced by the rules' content. -->
  <xsl:template match="sch:pattern" mode="c:concrete">
    <xsl:copy>
      <xsl:copy-of select="@*"/>
      <xsl:copy-of select="sch:title[1], sch:let"/>
      <xsl:apply-templates select="sch:rule[not(@abstract = 'true')]" mode="c:concrete"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="sch:rule" mode="c:concrete">
    <xsl:if test="not(normalize-space(@context))">
      <xsl:sequence select="c:fail(., 'sch:rule without @context (only abstract rules may omit it)')"/>
    </xsl:if>
    <xsl:copy>
      <xsl:copy-of select="@*"/>
      <xsl:apply-templates select="sch:let | sch:assert | sch:report | sch:extends" mode="c:extend">
        <xsl:with-param name="chain" tunnel="yes" select="string(@id)"/>
      </xsl:apply-templates>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="sch:let | sch:assert | sch:report" mode="c:extend">
    <xsl:copy-of select="."/>
  </xsl:template>

  <xsl:template match="sch:extends" mode="c:extend">
    <xsl:param name="schema" tunnel="yes" as="element(sch:schema)"/>
    <xsl:param name="chain" tunnel="yes" as="xs:string*"/>
    <xsl:variable name="id" select="string(@rule)"/>
    <xsl:variable name="abstract" select="(ancestor::sch:pattern[1]//sch:rule[@abstract = 'true'][@id = $id],
                                           key('c:id', $id, $schema)[self::sch:rule][@abstract = 'true'])[1]"/>
    <xsl:if test="empty($abstract)">
      <xsl:sequence select="c:fail(., 'sch:extends rule=&quot;' || $id || '&quot;: there is no abstract rule with that id')"/>
    </xsl:if>
    <xsl:if test="$id = $chain">
      <xsl:sequence select="c:fail(., 'sch:extends rule=&quot;' || $id || '&quot;: the rule extends itself (circular extends)')"/>
    </xsl:if>
    <xsl:apply-templates select="$abstract/(sch:let | sch:assert | sch:report | sch:extends)" mode="c:extend">
      <xsl:with-param name="chain" tunnel="yes" select="($chain, $id)"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- ================================================================== 3. generate -->

  <xsl:template match="sch:schema" mode="c:generate">
    <xsl:variable name="schema" select="."/>
    <xsl:for-each select="sch:ns">
      <xsl:if test="map:contains($reserved-ns, string(@prefix)) and $reserved-ns(string(@prefix)) != @uri"
          xmlns:map="http://www.w3.org/2005/xpath-functions/map">
        <xsl:sequence select="c:fail(., 'sch:ns prefix=&quot;' || @prefix || '&quot; is reserved for ' || $reserved-ns(string(@prefix)))"/>
      </xsl:if>
    </xsl:for-each>
    <axsl:stylesheet version="3.0">
      <xsl:for-each select="map:keys($reserved-ns)[. != 'xsl']" xmlns:map="http://www.w3.org/2005/xpath-functions/map">
        <xsl:namespace name="{.}" select="$reserved-ns(.)"/>
      </xsl:for-each>
      <xsl:for-each-group select="sch:ns[not(map:contains($reserved-ns, string(@prefix)))]" group-by="@prefix"
          xmlns:map="http://www.w3.org/2005/xpath-functions/map">
        <xsl:if test="count(distinct-values(current-group()/@uri)) gt 1">
          <xsl:sequence select="c:fail(current-group()[2], 'sch:ns prefix=&quot;' || @prefix || '&quot; is bound to two namespaces: '
              || string-join(distinct-values(current-group()/@uri), ' and '))"/>
        </xsl:if>
        <xsl:namespace name="{current-grouping-key()}" select="string(@uri)"/>
      </xsl:for-each-group>
      <!-- Leniency: prefixes declared on the schema element but not with sch:ns (not ISO, yet
           common, and other processors accept it) are bound too, unless that would clash. -->
      <xsl:for-each select="in-scope-prefixes(.)[. != ''][not($schema/@c:embedded)]
          [not(map:contains($reserved-ns, .))][not(. = $schema/sch:ns/@prefix)]
          [not(namespace-uri-for-prefix(., $schema) = ('urn:x-toolkit:schematron:compiler',
               'urn:x-toolkit:schematron:generated-xsl'))]"
          xmlns:map="http://www.w3.org/2005/xpath-functions/map">
        <xsl:namespace name="{.}" select="namespace-uri-for-prefix(., $schema)"/>
      </xsl:for-each>
      <xsl:attribute name="exclude-result-prefixes" select="'#all'"/>
      <xsl:attribute name="schx:dependencies" select="string-join(distinct-values(
          ((.//@c:origin ! substring-before(., '#'))[. != ''], tokenize($module-files))), ' ')"/>
      <xsl:attribute name="schx:uses-edition-context"
          select="exists(.//@*[contains(., '$' || $CONTEXT-PARAM)])"/>
      <xsl:attribute name="schx:phase" select="@c:phase"/>

      <xsl:copy-of select="xsl:import"/>
      <axsl:output method="xml" indent="no" encoding="UTF-8"/>

      <axsl:param name="{$CONTEXT-PARAM}" as="document-node()?" select="()"/>
      <xsl:apply-templates select="sch:let" mode="c:global"/>
      <xsl:copy-of select="xsl:function | xsl:key | xsl:include" copy-namespaces="yes"/>
      <xsl:copy-of select="$runtime/*/xsl:*"/>

      <!-- The driver: one walk over the document. At each node it hands the node to every
           pattern's mode (one template rule per sch:rule, so the first matching rule of each
           pattern fires), skipping a pattern when a test derived from its rule contexts shows
           that none can match; the pattern modes do not recurse. Their output is tagged with
           the pattern's number and regrouped by pattern, so that the SVRL is the same as from
           one pass per pattern. -->
      <xsl:variable name="patterns" select="sch:pattern"/>
      <!-- the prefixes the generated stylesheet binds (as above) -->
      <xsl:variable name="ns-map" as="map(xs:string, xs:string)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"
          select="map:merge((map{'xml': 'http://www.w3.org/XML/1998/namespace'},
              in-scope-prefixes(.)[. != ''][not($schema/@c:embedded)]
                  [not(map:contains($reserved-ns, .))][not(. = $schema/sch:ns/@prefix)]
                  [not(namespace-uri-for-prefix(., $schema) = ('urn:x-toolkit:schematron:compiler',
                       'urn:x-toolkit:schematron:generated-xsl'))]
                  ! map{.: string(namespace-uri-for-prefix(., $schema))},
              sch:ns ! map{string(@prefix): string(@uri)}, $reserved-ns), map{'duplicates': 'use-last'})"/>
      <xsl:variable name="bound" as="xs:string*" select="map:keys($ns-map)"
          xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
      <!-- per pattern: the test an element must pass to be handed to it ('' = every element),
           and the expanded names ({uri}local, {uri}*) its rule contexts can match -->
      <xsl:variable name="guards" as="xs:string*" select="$patterns ! c:element-guard(., $bound)"/>
      <xsl:variable name="tests" as="array(*)" xmlns:array="http://www.w3.org/2005/xpath-functions/array"
          select="array:join($patterns ! [c:name-tests(., $ns-map)])"/>
      <xsl:variable name="all-tests" as="xs:string*" select="distinct-values(
          for $i in 1 to count($patterns) return (if ($guards[$i]) then $tests($i) else ()))"/>
      <!-- the walk has a template for each such name, which hands an element only to the
           patterns that can match it (no grouping when a namespace URI holds braces) -->
      <xsl:variable name="grouped" select="not(some $t in $all-tests satisfies matches($t, '^\{.*[{}].*\}'))"/>
      <xsl:variable name="kinds" as="xs:string*" select="$patterns ! c:visits(.)"/>
      <xsl:variable name="walk-children" select="(if ($kinds = 'attributes') then '@*, ' else '')
          || (if ($kinds = 'others') then 'node()' else '*')"/>
      <!-- A dynamic error (a bad cast, an odd value) never ends the whole run: it is reported as
           a schx:error of the assertion, rule or pattern let it happened in, and every other
           rule still runs; a pattern whose lets failed is reported once and skipped. (An error
           while matching a rule context is no error in XSLT 3.0: the rule does not match.) -->
      <axsl:template match="/">
        <xsl:for-each select="$patterns[sch:let]">
          <axsl:variable name="schx:pattern-{c:index(.)}" as="map(*)">
            <axsl:try>
              <axsl:call-template name="schx:pattern-{c:index(.)}"/>
              <axsl:catch>
                <axsl:variable name="schx:error" as="element()">
                  <xsl:call-template name="c:error">
                    <xsl:with-param name="n" select="c:index(.)"/>
                  </xsl:call-template>
                </axsl:variable>
                <axsl:sequence select="map{{'#error': $schx:error}}"/>
              </axsl:catch>
            </axsl:try>
          </axsl:variable>
        </xsl:for-each>
        <axsl:variable name="schx:results" as="element()*">
          <xsl:for-each select="$patterns[sch:let]">
            <axsl:sequence select="$schx:pattern-{c:index(.)}('#error')"/>
          </xsl:for-each>
          <axsl:apply-templates select="." mode="schx:walk">
            <xsl:for-each select="$patterns[sch:let]">
              <axsl:with-param name="schx:pattern-{c:index(.)}" tunnel="yes" select="$schx:pattern-{c:index(.)}"/>
            </xsl:for-each>
          </axsl:apply-templates>
        </axsl:variable>
        <svrl:schematron-output schemaVersion="{c:avt(@schemaVersion)}" phase="{c:avt(@c:phase)}">
          <xsl:if test="sch:title">
            <xsl:attribute name="title" select="c:avt(normalize-space(sch:title[1]))"/>
          </xsl:if>
          <xsl:for-each select="sch:ns">
            <svrl:ns-prefix-in-attribute-values prefix="{c:avt(@prefix)}" uri="{c:avt(@uri)}"/>
          </xsl:for-each>
          <xsl:for-each select="$patterns">
            <svrl:active-pattern>
              <xsl:if test="@id">
                <xsl:attribute name="id" select="c:avt(@id)"/>
              </xsl:if>
              <xsl:if test="sch:title">
                <xsl:attribute name="name" select="c:avt(normalize-space(sch:title[1]))"/>
              </xsl:if>
            </svrl:active-pattern>
            <axsl:apply-templates select="$schx:results[@schx:in-pattern eq '{position()}']" mode="schx:untag"/>
          </xsl:for-each>
        </svrl:schematron-output>
      </axsl:template>

      <axsl:template match="*" mode="schx:untag">
        <axsl:copy copy-namespaces="no">
          <axsl:copy-of select="@* except @schx:in-pattern, node()" copy-namespaces="no"/>
        </axsl:copy>
      </axsl:template>

      <axsl:mode name="schx:walk" on-no-match="deep-skip"/>
      <axsl:template match="document-node()" mode="schx:walk">
        <xsl:for-each select="$patterns">
          <!-- (a context the compiler understands matches elements only) -->
          <xsl:if test="not(sch:rule) or (some $c in sch:rule/@context satisfies not(c:simple($c)))">
            <axsl:apply-templates select="." mode="schx:p{position()}"/>
          </xsl:if>
        </xsl:for-each>
        <axsl:apply-templates select="{$walk-children}" mode="schx:walk"/>
      </axsl:template>
      <xsl:if test="$grouped">
        <xsl:for-each select="$all-tests">
          <xsl:variable name="name" select="."/>
          <xsl:variable name="wildcard" select="replace($name, '\}.*$', '}*')"/>
          <axsl:template match="Q{$name}" mode="schx:walk" priority="{if ($name = $wildcard) then 1 else 2}">
            <xsl:for-each select="1 to count($patterns)">
              <xsl:variable name="i" select="."/>
              <xsl:if test="not($guards[$i]) or $tests($i) = ($name, $wildcard)">
                <xsl:call-template name="c:dispatch">
                  <xsl:with-param name="i" select="$i"/>
                  <xsl:with-param name="guard" select="$guards[$i]"/>
                </xsl:call-template>
              </xsl:if>
            </xsl:for-each>
            <axsl:apply-templates select="{$walk-children}" mode="schx:walk"/>
          </axsl:template>
        </xsl:for-each>
      </xsl:if>
      <axsl:template match="element()" mode="schx:walk">
        <xsl:for-each select="1 to count($patterns)">
          <xsl:variable name="i" select="."/>
          <xsl:if test="not($grouped and $guards[$i])">
            <xsl:call-template name="c:dispatch">
              <xsl:with-param name="i" select="$i"/>
              <xsl:with-param name="guard" select="$guards[$i]"/>
            </xsl:call-template>
          </xsl:if>
        </xsl:for-each>
        <axsl:apply-templates select="{$walk-children}" mode="schx:walk"/>
      </axsl:template>
      <xsl:if test="$kinds = 'attributes'">
        <axsl:template match="attribute()" mode="schx:walk">
          <xsl:for-each select="$patterns">
            <xsl:if test="c:visits(.) = 'attributes'">
              <axsl:apply-templates select="." mode="schx:p{position()}"/>
            </xsl:if>
          </xsl:for-each>
        </axsl:template>
      </xsl:if>
      <xsl:if test="$kinds = 'others'">
        <axsl:template match="text() | comment() | processing-instruction()" mode="schx:walk">
          <xsl:for-each select="$patterns">
            <xsl:if test="c:visits(.) = 'others'">
              <axsl:apply-templates select="." mode="schx:p{position()}"/>
            </xsl:if>
          </xsl:for-each>
        </axsl:template>
      </xsl:if>

      <xsl:apply-templates select="sch:pattern" mode="c:generate"/>
    </axsl:stylesheet>
  </xsl:template>

  <!-- schema-level lets are overridable global parameters; phase lets global variables -->
  <xsl:template match="sch:let" mode="c:global">
    <xsl:element name="{if (@c:phase-let) then 'xsl:variable' else 'xsl:param'}" namespace="{$XSL}">
      <xsl:call-template name="c:let-body"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="c:let-body">
    <xsl:attribute name="name" select="@name"/>
    <xsl:copy-of select="@as"/>
    <xsl:attribute name="schx:origin" select="@c:origin"/>
    <xsl:choose>
      <xsl:when test="@value">
        <xsl:attribute name="select" select="@value"/>
      </xsl:when>
      <xsl:when test="*">
        <xsl:copy-of select="node()"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="select" select="string(.)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The position of a pattern among the schema's patterns (its mode is schx:p{n}). -->
  <xsl:function name="c:index" as="xs:integer">
    <xsl:param name="pattern" as="element(sch:pattern)"/>
    <xsl:sequence select="count($pattern/preceding-sibling::sch:pattern) + 1"/>
  </xsl:function>

  <!-- Rule contexts the compiler understands: alternatives of paths of child steps with an
       element name test (name, prefix:name, prefix:*, *) and predicates. Such a context can
       only match an element, and only one that passes the name test of its last step. -->
  <xsl:variable name="c:nc" select="'[\i-[:]][\c-[:]]*'"/>
  <xsl:variable name="c:nametest" select="'(?:' || $c:nc || ':\*|(?:' || $c:nc || ':)?' || $c:nc || '|\*)'"/>
  <xsl:variable name="c:pred" select="'\[(?:[^\[\]''&quot;]|''[^'']*''|&quot;[^&quot;]*&quot;)*\]'"/>
  <xsl:variable name="c:step" select="'(?:child::)?' || $c:nametest || '(?:\s*' || $c:pred || ')*'"/>
  <xsl:variable name="c:path" select="'(?:/{1,2})?(?:' || $c:step || '\s*/{1,2}\s*)*(?:child::)?('
      || $c:nametest || ')((?:\s*' || $c:pred || ')*)'"/>
  <xsl:variable name="c:simple-context" select="'^\s*' || $c:path || '(?:\s*\|\s*' || $c:path || ')*\s*$'"/>

  <xsl:function name="c:simple" as="xs:boolean">
    <xsl:param name="context" as="xs:string"/>
    <xsl:sequence select="matches($context, $c:simple-context)"/>
  </xsl:function>

  <!-- A test, with the element as context item, that is true whenever some rule of the pattern
       can match the element: the name tests of the contexts' last steps, with their predicates
       when all of them only ask for an attribute. '' when there is no such test (always visit). -->
  <xsl:function name="c:element-guard" as="xs:string">
    <xsl:param name="pattern" as="element(sch:pattern)"/>
    <xsl:param name="bound" as="xs:string*"/>
    <xsl:variable name="contexts" select="$pattern/sch:rule/string(@context)"/>
    <xsl:choose>
      <xsl:when test="empty($contexts) or (some $c in $contexts satisfies not(c:simple($c)))">
        <xsl:sequence select="''"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="tests" as="xs:string*">
          <xsl:for-each select="$contexts">
            <xsl:analyze-string select="." regex="{$c:path}">
              <xsl:matching-substring>
                <xsl:variable name="preds" select="normalize-space(regex-group(2))"/>
                <xsl:sequence select="if (regex-group(1) = '*') then '*' else 'self::' || regex-group(1)
                    || (if (matches($preds, '^(\[\s*@(' || $c:nc || ':)?' || $c:nc || '\s*\]\s*)+$'))
                        then $preds else '')"/>
              </xsl:matching-substring>
            </xsl:analyze-string>
          </xsl:for-each>
        </xsl:variable>
        <!-- (a prefix the stylesheet does not bind: no test, the rule's match reports it) -->
        <xsl:variable name="prefixes" as="xs:string*">
          <xsl:analyze-string select="string-join($tests, ' ') => replace('self::', ' ')" regex="({$c:nc}):">
            <xsl:matching-substring>
              <xsl:sequence select="regex-group(1)"/>
            </xsl:matching-substring>
          </xsl:analyze-string>
        </xsl:variable>
        <xsl:sequence select="if (empty($tests) or $tests = '*' or not(every $p in $prefixes satisfies $p = $bound))
                              then '' else string-join(distinct-values($tests), ' or ')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The walk hands the element to pattern $i, if it passes the pattern's test. -->
  <xsl:template name="c:dispatch">
    <xsl:param name="i" as="xs:integer"/>
    <xsl:param name="guard" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$guard">
        <axsl:if test="{$guard}">
          <axsl:apply-templates select="." mode="schx:p{$i}"/>
        </axsl:if>
      </xsl:when>
      <xsl:otherwise>
        <axsl:apply-templates select="." mode="schx:p{$i}"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The schx:error a catch writes for the Schematron element in hand (an assertion, a rule, a
       pattern): the failing node's location, the error code and text. -->
  <xsl:template name="c:error">
    <xsl:param name="n" as="xs:integer"/>
    <schx:error schx:in-pattern="{$n}" origin="{c:avt(@c:origin)}">
      <axsl:attribute name="location" select="schx:location(.)"/>
      <axsl:attribute name="code" select="local-name-from-QName($err:code)"/>
      <axsl:value-of select="$err:description"/>
    </schx:error>
  </xsl:template>

  <!-- The expanded names of the name tests that end a pattern's rule contexts: {uri}local or
       {uri}* ('*' for any element). Only for patterns that have an element guard. -->
  <xsl:function name="c:name-tests" as="xs:string*">
    <xsl:param name="pattern" as="element(sch:pattern)"/>
    <xsl:param name="ns-map" as="map(xs:string, xs:string)"/>
    <xsl:for-each select="$pattern/sch:rule/string(@context)[c:simple(.)]">
      <xsl:analyze-string select="." regex="{$c:path}">
        <xsl:matching-substring>
          <xsl:variable name="nt" select="regex-group(1)"/>
          <xsl:sequence select="if ($nt = '*') then '*'
              else if (contains($nt, ':'))
              then '{' || ($ns-map(substring-before($nt, ':')), '?')[1] || '}' || substring-after($nt, ':')
              else '{}' || $nt"/>
        </xsl:matching-substring>
      </xsl:analyze-string>
    </xsl:for-each>
  </xsl:function>

  <!-- Which kinds of node other than elements and the document node the walk must hand to a
       pattern: 'attributes', 'others' (text, comments, processing instructions). A context the
       compiler does not understand is judged by the words in it. -->
  <xsl:function name="c:visits" as="xs:string*">
    <xsl:param name="pattern" as="element(sch:pattern)"/>
    <xsl:variable name="contexts" select="string-join($pattern/sch:rule/@context[not(c:simple(.))], ' ')"/>
    <xsl:sequence select="('attributes'[matches($contexts, '@|attribute\s*\(')],
        'others'[matches($contexts, '(text|node|comment|processing-instruction)\s*\(')])"/>
  </xsl:function>

  <xsl:template match="sch:pattern" mode="c:generate">
    <xsl:variable name="n" select="position()"/>
    <xsl:variable name="mode" select="'schx:p' || $n"/>
    <xsl:variable name="lets" select="sch:let"/>

    <!-- the pattern's lets, evaluated once with the document node as context, as a map -->
    <axsl:template name="schx:pattern-{$n}" as="map(*)" schx:origin="{@c:origin}">
      <xsl:for-each select="$lets">
        <axsl:variable>
          <xsl:call-template name="c:let-body"/>
        </axsl:variable>
      </xsl:for-each>
      <axsl:sequence select="map{{{string-join($lets ! ('''' || replace(@name, '''', '''''') || ''': $' || @name), ', ')}}}"/>
    </axsl:template>

    <!-- no recursion: the walk visits the nodes (deep-skip alone would descend from the
         document node) -->
    <axsl:mode name="{$mode}" on-no-match="deep-skip"/>
    <axsl:template match="document-node()" mode="{$mode}" priority="-1000"/>

    <xsl:variable name="rules" select="sch:rule"/>
    <xsl:for-each select="$rules">
      <axsl:template match="{@context}" mode="{$mode}" priority="{count($rules) - position() + 1}"
          schx:origin="{@c:origin}">
        <xsl:if test="$lets">
          <axsl:param name="schx:pattern-{$n}" tunnel="yes" as="map(*)"/>
        </xsl:if>
        <xsl:variable name="body">
          <xsl:for-each select="$lets">
            <axsl:variable name="{@name}" select="$schx:pattern-{$n}('{replace(@name, '''', '''''')}')"/>
          </xsl:for-each>
          <xsl:if test="$fired-rules">
            <svrl:fired-rule schx:in-pattern="{$n}" context="{c:avt(@context)}">
              <xsl:copy-of select="@id, @role, @flag"/>
            </svrl:fired-rule>
          </xsl:if>
          <xsl:apply-templates select="sch:let | sch:assert | sch:report" mode="c:generate">
            <xsl:with-param name="n" select="$n"/>
          </xsl:apply-templates>
        </xsl:variable>
        <!-- (a let that fails ends this rule on this node only; a pattern whose lets failed
             was reported once and is skipped) -->
        <axsl:try>
          <xsl:choose>
            <xsl:when test="$lets">
              <axsl:if test="empty($schx:pattern-{$n}('#error'))">
                <xsl:sequence select="$body/node()"/>
              </axsl:if>
            </xsl:when>
            <xsl:otherwise>
              <xsl:sequence select="$body/node()"/>
            </xsl:otherwise>
          </xsl:choose>
          <axsl:catch>
            <xsl:call-template name="c:error">
              <xsl:with-param name="n" select="$n"/>
            </xsl:call-template>
          </axsl:catch>
        </axsl:try>
      </axsl:template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="sch:rule/sch:let" mode="c:generate">
    <axsl:variable>
      <xsl:call-template name="c:let-body"/>
    </axsl:variable>
  </xsl:template>

  <xsl:template match="sch:assert | sch:report" mode="c:generate">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="rule" select=".."/>
    <xsl:variable name="pattern" select="../.."/>
    <xsl:variable name="subject" select="(@subject, $rule/@subject)[1]"/>
    <xsl:if test="not(@test)">
      <xsl:sequence select="c:fail(., 'sch:' || local-name() || ' without @test')"/>
    </xsl:if>
    <!-- A dynamic error in a query (a bad cast, say) becomes a schx:error in the SVRL instead
         of ending the whole run: the caller reports it with the document and schema positions. -->
    <axsl:try>
    <axsl:if test="{if (self::sch:assert) then 'not((' || @test || '))' else @test}"
        schx:origin="{@c:origin}">
      <xsl:element name="svrl:{if (self::sch:assert) then 'failed-assert' else 'successful-report'}"
          namespace="http://purl.oclc.org/dsdl/svrl">
        <xsl:attribute name="schx:in-pattern" select="$n"/>
        <xsl:attribute name="test" select="c:avt(@test)"/>
        <xsl:for-each select="(@id, (@role, $rule/@role)[1], (@flag, $rule/@flag)[1], @see, @icon, @fpi)">
          <xsl:attribute name="{local-name()}" select="c:avt(.)"/>
        </xsl:for-each>
        <xsl:if test="$rule/@id">
          <xsl:attribute name="schx:rule" select="c:avt($rule/@id)"/>
        </xsl:if>
        <xsl:if test="$pattern/@id">
          <xsl:attribute name="schx:pattern" select="c:avt($pattern/@id)"/>
        </xsl:if>
        <axsl:attribute name="location"
            select="schx:location({if ($subject) then '((' || $subject || '), .)[1]' else '.'})"/>
        <svrl:text>
          <xsl:apply-templates select="node()" mode="c:message"/>
        </svrl:text>
        <xsl:variable name="here" select="."/>
        <xsl:for-each select="tokenize(@diagnostics)">
          <xsl:variable name="d" select="$here/ancestor::sch:schema/sch:diagnostics/sch:diagnostic[@id = current()]"/>
          <xsl:if test="empty($d)">
            <xsl:sequence select="c:fail($here, 'diagnostics=&quot;' || . || '&quot;: there is no sch:diagnostic with that id')"/>
          </xsl:if>
          <svrl:diagnostic-reference diagnostic="{c:avt(.)}">
            <svrl:text>
              <xsl:apply-templates select="$d[1]/node()" mode="c:message"/>
            </svrl:text>
          </svrl:diagnostic-reference>
        </xsl:for-each>
        <xsl:for-each select="tokenize(@properties)">
          <xsl:variable name="p" select="$here/ancestor::sch:schema/sch:properties/sch:property[@id = current()]"/>
          <xsl:if test="empty($p)">
            <xsl:sequence select="c:fail($here, 'properties=&quot;' || . || '&quot;: there is no sch:property with that id')"/>
          </xsl:if>
          <svrl:property-reference property="{c:avt(.)}">
            <xsl:for-each select="$p[1]/(@role, @scheme)">
              <xsl:attribute name="{local-name()}" select="c:avt(.)"/>
            </xsl:for-each>
            <svrl:text>
              <xsl:apply-templates select="$p[1]/node()" mode="c:message"/>
            </svrl:text>
          </svrl:property-reference>
        </xsl:for-each>
      </xsl:element>
    </axsl:if>
      <axsl:catch>
        <xsl:call-template name="c:error">
          <xsl:with-param name="n" select="$n"/>
        </xsl:call-template>
      </axsl:catch>
    </axsl:try>
  </xsl:template>

  <!-- ================================================================== messages -->

  <xsl:template match="text()" mode="c:message">
    <axsl:text><xsl:value-of select="."/></axsl:text>
  </xsl:template>

  <xsl:template match="sch:value-of" mode="c:message">
    <axsl:value-of select="{@select}" schx:origin="{@c:origin}"/>
  </xsl:template>

  <xsl:template match="sch:name" mode="c:message">
    <axsl:value-of select="{if (@path) then 'name((' || @path || ')[1])' else 'name(.)'}"
        schx:origin="{@c:origin}"/>
  </xsl:template>

  <xsl:template match="sch:emph | sch:dir | sch:span" mode="c:message">
    <xsl:element name="sch:{local-name()}" namespace="{$SCH}">
      <xsl:for-each select="@*[not(namespace-uri())]">
        <xsl:attribute name="{local-name()}" select="c:avt(.)"/>
      </xsl:for-each>
      <xsl:apply-templates select="node()" mode="c:message"/>
    </xsl:element>
  </xsl:template>

  <!-- foreign markup in a message: its text only -->
  <xsl:template match="*" mode="c:message">
    <xsl:apply-templates select="node()" mode="c:message"/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="c:message"/>

</xsl:stylesheet>
